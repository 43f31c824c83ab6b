// The waiting count on the badge, tray and title follows the pushed summaries loop by loop.
import { describe, expect, it } from 'vitest'
import { shouldFlash, trayTooltip, WaitingCount, windowTitle } from '../../src/main/electron/attention'

const loop = (loopId: string, waiting: number, archived?: boolean) => ({ loopId, waiting, archived })

describe('the waiting count', () => {
  it('starts from the listed loops and follows each pushed summary', () => {
    const count = new WaitingCount()
    count.seed([loop('a', 1), loop('b', 0), loop('c', 2)])
    expect(count.total).toBe(3)
    expect(count.update(loop('b', 1))).toBe(true)
    expect(count.total).toBe(4)
    // Ordinary progress of a loop that already waits changes nothing.
    expect(count.update(loop('a', 1))).toBe(false)
    expect(count.total).toBe(4)
  })

  it('drops a loop once answered or archived, and counts it again if it stops again', () => {
    const count = new WaitingCount()
    count.seed([loop('a', 1), loop('c', 2)])
    count.update(loop('a', 0))
    expect(count.total).toBe(2)
    count.update(loop('c', 2, true))
    expect(count.total).toBe(0)
    count.update(loop('a', 1))
    expect(count.total).toBe(1)
  })

  it('starts over on a new seed (after an archive, which pushes nothing)', () => {
    const count = new WaitingCount()
    count.seed([loop('a', 1), loop('b', 1)])
    count.seed([loop('b', 1)])
    expect(count.total).toBe(1)
    count.update(loop('a', 0))
    expect(count.total).toBe(1)
  })
})

describe('how the count is shown', () => {
  it('in the window title and the tray tooltip', () => {
    expect(windowTitle(3)).toBe('Andon (3 waiting)')
    expect(windowTitle(0)).toBe('Andon')
    expect(trayTooltip(3)).toBe('Andon — 3 waiting')
    expect(trayTooltip(0)).toBe('Andon — nothing waiting')
  })

  it('by a taskbar flash only when more wait and the window is not focused', () => {
    expect(shouldFlash(1, 2, false)).toBe(true)
    expect(shouldFlash(1, 2, true)).toBe(false)
    expect(shouldFlash(2, 1, false)).toBe(false)
  })
})
