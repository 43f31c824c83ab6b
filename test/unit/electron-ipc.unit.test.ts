// Contract commands over Electron IPC: one channel per command, untrusted senders refused,
// inputs parsed with the command's zod schema before the core sees them.
import { describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { z } from 'zod'
import { commandNames, type Handlers } from '../../src/shared/contract'
import { registerContract, type IpcRegistrar } from '../../src/main/electron/ipc'

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown

function setup(trusted = true) {
  const listeners = new Map<string, Listener>()
  const ipc: IpcRegistrar = {
    handle: (channel, listener) => void listeners.set(channel, listener),
    removeHandler: (channel) => void listeners.delete(channel)
  }
  const calls: { name: string; input: unknown }[] = []
  const handlers = Object.fromEntries(
    commandNames.map((name) => [name, vi.fn((input: unknown) => (calls.push({ name, input }), { ok: name }))])
  ) as unknown as Handlers
  const dispose = registerContract(ipc, handlers, () => trusted)
  const invoke = (channel: string, ...args: unknown[]) => listeners.get(channel)!({} as IpcMainInvokeEvent, ...args)
  return { listeners, calls, invoke, dispose, handlers }
}

describe('contract over IPC', () => {
  it('registers exactly one andon:<name> channel per contract command, and removes them', () => {
    const { listeners, dispose } = setup()
    expect([...listeners.keys()].sort()).toEqual(commandNames.map((n) => `andon:${n}`).sort())
    dispose()
    expect(listeners.size).toBe(0)
  })

  it('passes parsed input, with schema defaults applied, to the core handler', async () => {
    const { invoke, calls } = setup()
    await expect(invoke('andon:getEvents', { loopId: 'loop-1' })).resolves.toEqual({ ok: 'getEvents' })
    expect(calls).toEqual([{ name: 'getEvents', input: { loopId: 'loop-1', afterVersion: 0, limit: 1000 } }])
    await invoke('andon:listLoops')
    expect(calls[1]).toEqual({ name: 'listLoops', input: {} })
  })

  it('refuses bad input with an error naming the field, and the core never sees it', async () => {
    const { invoke, calls } = setup()
    await expect(invoke('andon:getLoop', { loopId: '../../etc' })).rejects.toThrow(/getLoop: invalid input — loopId: not a loop id/)
    await expect(invoke('andon:pauseLoop', { loopId: 'a', extra: 1 })).rejects.toThrow(/pauseLoop: invalid input/)
    await expect(invoke('andon:getEvents', { loopId: 'a', limit: -5 })).rejects.toThrow(/getEvents: invalid input — limit: /)
    await expect(invoke('andon:listLoops', {}, 'second arg')).rejects.toThrow(/expects one input object/)
    expect(calls).toEqual([])
  })

  it('turns a schema failure inside the core into a field-by-field message', async () => {
    const { invoke, handlers } = setup()
    vi.mocked(handlers.listLoops).mockImplementation(() => {
      z.object({ budget: z.number() }).parse({ budget: 'lots' })
      return []
    })
    await expect(invoke('andon:listLoops', {})).rejects.toThrow(/^listLoops: invalid data — budget: /)
  })

  it('refuses every command from an untrusted sender before parsing', async () => {
    const { invoke, calls } = setup(false)
    for (const name of commandNames)
      await expect(invoke(`andon:${name}`, {}), name).rejects.toThrow(`${name}: refused, the request did not come from the Andon window`)
    expect(calls).toEqual([])
  })
})
