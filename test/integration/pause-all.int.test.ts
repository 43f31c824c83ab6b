/**
 * The andon cord (pauseAll) on a real store: every running loop is paused at once, each with a
 * Paused event carrying "stop all" and the operator's reason; loops waiting for the operator are
 * left as they are, and a running loop another process drives is reported with who drives it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LoopSpec } from '../../src/shared/spec'
import { exampleSpec, spec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
beforeEach(async () => {
  andon = await tempAndon()
})
afterEach(() => andon.cleanup())

/** A loop that keeps running (a decision every 100 ms, each call changes its output) until stopped. */
const busy = (name: string): LoopSpec =>
  spec({
    name,
    policy: { kind: 'rules', delayMs: 100, rules: [{ name: 'count', when: {}, then: { tool: 'run_command', args: { command: 'echo x >> n.txt; wc -l < n.txt' } } }] },
    tools: [{ name: 'run_command' }, { name: 'verify' }],
    invariants: { maxIterations: 500, sameActionLimit: 500, progressEvery: 500 },
    termination: { verifyCommand: 'false' }
  })

describe('pauseAll', () => {
  it('pauses every running loop with "stop all" and the reason, leaves a waiting loop alone, and reports a loop driven elsewhere', async () => {
    const running = await Promise.all(['one', 'two', 'three'].map((n) => andon.supervisor.launch(busy(n))))
    const { spec: fix, specPath } = exampleSpec('fix-the-tests')
    const waiting = await andon.supervisor.launch({ ...fix, autonomy: 'approve-every-action' }, { specPath })
    // Driven by another live process: its lease is held by a holder on another host.
    const other = await andon.supervisor.launch(busy('driven elsewhere'), { start: false })
    await andon.store.append(other, [{ type: 'Started', data: { by: 'operator' } }], andon.store.streamVersion(other))
    andon.store.leases.acquire(other, { id: 'other-host-1', pid: 4242, host: 'build-box', label: 'andon run' }, Date.now(), 60_000)
    await until(() => running.every((id) => andon.supervisor.liveState(id).iteration >= 2), 20_000, 'the loops to be running')
    await until(() => andon.supervisor.liveState(waiting).status === 'awaiting-approval', 20_000, 'the gated loop to wait')

    const result = await andon.handlers.pauseAll({ reason: 'end of shift' })

    expect(result.paused).toBe(3)
    expect([...result.pausedLoopIds].sort()).toEqual([...running].sort())
    expect(result.elsewhere).toEqual([{ loopId: other, name: 'driven elsewhere', holder: 'andon run (pid 4242 on build-box)' }])
    expect(result.failed).toEqual([])
    for (const id of running) {
      expect(andon.supervisor.liveState(id).status).toBe('paused')
      const paused = andon.store.readStream(id).filter((e) => e.type === 'Paused')
      expect(paused.map((e) => e.data)).toEqual([{ by: 'operator', reason: 'stop all: end of shift' }])
    }
    expect(andon.supervisor.liveState(waiting).status).toBe('awaiting-approval')
    expect(andon.store.readStream(waiting).some((e) => e.type === 'Paused')).toBe(false)
    expect(andon.store.loadState(other).status).toBe('running')

    // Nothing left running here: a second pull pauses nothing and still names the other process's loop.
    expect(await andon.handlers.pauseAll({ reason: '' })).toMatchObject({ paused: 0, elsewhere: [{ loopId: other }] })
  }, 60_000)

  it('with no reason, the pause says "stop all"', async () => {
    const id = await andon.supervisor.launch(busy('solo'))
    await until(() => andon.supervisor.liveState(id).iteration >= 1, 20_000, 'the loop to run')
    expect(await andon.handlers.pauseAll({ reason: '  ' })).toMatchObject({ paused: 1, pausedLoopIds: [id] })
    expect(andon.store.readStream(id).filter((e) => e.type === 'Paused').map((e) => e.data)).toEqual([{ by: 'operator', reason: 'stop all' }])
  }, 30_000)
})
