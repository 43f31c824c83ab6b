// A shown notification stays reachable until the operator is done with it, so its click still
// opens the item (Electron itself holds it only weakly).
import { beforeEach, describe, expect, it, vi } from 'vitest'

type Listener = () => void
const shown = vi.hoisted(() => ({ list: [] as { title: string; listeners: Map<string, Listener> }[], supported: true }))

vi.mock('electron', () => ({
  Notification: class {
    private readonly listeners = new Map<string, Listener>()
    static isSupported() {
      return shown.supported
    }
    constructor(private readonly options: { title: string }) {}
    on(name: string, l: Listener) {
      this.listeners.set(name, l)
    }
    show() {
      shown.list.push({ title: this.options.title, listeners: this.listeners })
    }
  }
}))

const { DesktopNotices } = await import('../../src/main/electron/desktop-notices')
const notice = (n: number) => ({ title: `loop ${n} needs you`, body: 'stuck', loopId: `l${n}`, route: `#/inbox/l${n}%3Aescalation%3Ae${n}` })

beforeEach(() => {
  shown.list = []
  shown.supported = true
})

describe('desktop notifications', () => {
  it('are held while shown, and let go once clicked, closed or failed', () => {
    const opened: string[] = []
    const notices = new DesktopNotices((route) => opened.push(route))
    for (const n of [1, 2, 3]) notices.show(notice(n))
    expect(shown.list.map((s) => s.title)).toEqual(['loop 1 needs you', 'loop 2 needs you', 'loop 3 needs you'])
    expect(notices.held).toBe(3)
    shown.list[0].listeners.get('click')!()
    expect(opened).toEqual(['#/inbox/l1%3Aescalation%3Ae1'])
    expect(notices.held).toBe(2)
    shown.list[1].listeners.get('close')!()
    shown.list[2].listeners.get('failed')!()
    expect(notices.held).toBe(0)
    expect(opened).toHaveLength(1)
  })

  it('show nothing, and hold nothing, where the system has no notifications', () => {
    shown.supported = false
    const notices = new DesktopNotices(() => {})
    notices.show(notice(1))
    expect(shown.list).toEqual([])
    expect(notices.held).toBe(0)
  })
})
