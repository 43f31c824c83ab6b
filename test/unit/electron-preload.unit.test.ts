// The preload bridge: exactly the contract's commands plus onPush, each bound to its own
// channel; ipcRenderer itself never crosses into the page.
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { commandNames } from '../../src/shared/contract'

const exposed = new Map<string, Record<string, unknown>>()
const ipcRenderer = {
  invoke: vi.fn(async (channel: string, input?: unknown) => ({ channel, input })),
  on: vi.fn(),
  removeListener: vi.fn(),
  send: vi.fn(),
  sendSync: vi.fn()
}

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: Record<string, unknown>) => exposed.set(key, value) },
  ipcRenderer,
  webUtils: { getPathForFile: (file: { path: string }) => file.path }
}))

beforeAll(async () => {
  await import('../../src/preload/index')
})

describe('preload bridge', () => {
  it('exposes window.andon with exactly the contract commands plus onPush', () => {
    const andon = exposed.get('andon')!
    expect(Object.keys(andon).sort()).toEqual([...commandNames, 'onPush'].sort())
    expect(Object.values(andon).every((v) => typeof v === 'function')).toBe(true)
  })

  it('exposes only the andon API and the shell API (secrets, menu, navigation, bundle files), never ipcRenderer', () => {
    expect([...exposed.keys()].sort()).toEqual(['andon', 'andonShell'])
    expect(Object.keys(exposed.get('andonShell')!).sort()).toEqual(['clearSecret', 'importBundleFile', 'onMenu', 'onNavigate', 'secretStatus', 'setSecret'])
    for (const api of exposed.values()) {
      expect(Object.values(api)).not.toContain(ipcRenderer)
      for (const key of ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer']) expect(api).not.toHaveProperty(key)
    }
  })

  it('binds each command to its own channel; the page cannot choose one', async () => {
    const andon = exposed.get('andon') as Record<string, (input?: unknown) => Promise<unknown>>
    await expect(andon.getLoop({ loopId: 'l1' })).resolves.toEqual({ channel: 'andon:getLoop', input: { loopId: 'l1' } })
    await expect(andon.listLoops()).resolves.toEqual({ channel: 'andon:listLoops', input: {} })
    await andon.pauseLoop('andon:cancelLoop')
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('andon:pauseLoop', 'andon:cancelLoop')
  })

  it('onPush hands the listener only the messages of each batch, in order, and unsubscribes', () => {
    const andon = exposed.get('andon') as { onPush(cb: (m: unknown) => void): () => void }
    const received: unknown[] = []
    const off = andon.onPush((m) => received.push(m))
    const [channel, wrapped] = ipcRenderer.on.mock.calls.at(-1)!
    expect(channel).toBe('andon:push')
    wrapped({ sender: 'ipc internals' }, [{ kind: 'event', n: 1 }, { kind: 'event', n: 2 }])
    wrapped({ sender: 'ipc internals' }, [{ kind: 'event', n: 3 }])
    // Anything but a batch is not a push.
    wrapped({ sender: 'ipc internals' }, { kind: 'event', n: 4 })
    expect(received).toEqual([{ kind: 'event', n: 1 }, { kind: 'event', n: 2 }, { kind: 'event', n: 3 }])
    off()
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('andon:push', wrapped)
  })

  it('onMenu passes on only the actions of the menu table', () => {
    const shell = exposed.get('andonShell') as { onMenu(cb: (a: string) => void): () => void }
    const received: string[] = []
    const off = shell.onMenu((a) => received.push(a))
    const [channel, wrapped] = ipcRenderer.on.mock.calls.at(-1)!
    expect(channel).toBe('andon-shell:menu')
    for (const action of ['approve', 'approveEverything', 'launch', 42, null, 'next-item']) wrapped({}, action)
    expect(received).toEqual(['approve', 'launch', 'next-item'])
    off()
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('andon-shell:menu', wrapped)
  })

  it('onNavigate passes on only an in-app address (#/…) of at most 2048 characters', () => {
    const shell = exposed.get('andonShell') as { onNavigate(cb: (h: string) => void): () => void }
    const received: string[] = []
    const off = shell.onNavigate((h) => received.push(h))
    const [channel, wrapped] = ipcRenderer.on.mock.calls.at(-1)!
    expect(channel).toBe('andon-shell:navigate')
    const long = `#/inbox/${'k'.repeat(2041)}`
    for (const hash of ['#/inbox/l1:approval:c1', 'https://evil.example/#/inbox', 'inbox', long, long.slice(0, -1), { hash: '#/inbox' }]) wrapped({}, hash)
    expect(received).toEqual(['#/inbox/l1:approval:c1', long.slice(0, -1)])
    off()
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('andon-shell:navigate', wrapped)
  })

  it('secrets can be set and cleared but never read back', async () => {
    const shell = exposed.get('andonShell') as Record<string, (...a: unknown[]) => Promise<unknown>>
    await shell.setSecret('ANTHROPIC_API_KEY', 'sk-test')
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('andon-shell:secret-set', { name: 'ANTHROPIC_API_KEY', value: 'sk-test' })
    expect(Object.keys(shell).some((k) => /get|read|value/i.test(k))).toBe(false)
  })
})
