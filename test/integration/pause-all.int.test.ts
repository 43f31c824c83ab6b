/**
 * The andon cord (pauseAll) on a real store: every running loop is paused at once, each with a
 * Paused event carrying "stop all" and the operator's reason; loops waiting for the operator are
 * left as they are, and a running loop another process drives is reported with who drives it.
 * A loop paused by an open circuit is held instead of resuming by itself, and one that stops for
 * an approval while the cord is pulled is reported as pausing once answered, which it then does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import type { LoopSpec } from '../../src/shared/spec'
import { serverError, startScriptedServer, toolUse } from '../support/scripted-server'
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
    expect(result.waiting).toEqual([])
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

  it('reports a loop that stops for an approval meanwhile as waiting, and it pauses once approved, before the approved call runs', async () => {
    // Its decision takes a while, so the cord is pulled while it is still running; then it proposes a gated call.
    const gated = await andon.supervisor.launch({ ...busy('slow and gated'), policy: { ...busy('x').policy, delayMs: 1500 } as LoopSpec['policy'], autonomy: 'approve-every-action' })
    expect(andon.supervisor.liveState(gated).status).toBe('running')

    const result = await andon.handlers.pauseAll({ reason: 'incident' })

    expect(result).toMatchObject({ paused: 0, failed: [], waiting: [{ loopId: gated, name: 'slow and gated', status: 'awaiting-approval' }] })
    const pending = andon.supervisor.liveState(gated).pendingCall!
    await andon.handlers.decideApproval({ loopId: gated, callId: pending.callId, decision: 'approve', reason: '' })
    await until(() => andon.supervisor.liveState(gated).status === 'paused', 10_000, 'the approved loop to pause')
    const events = andon.store.readStream(gated)
    expect(events.filter((e) => e.type === 'Paused').map((e) => e.data)).toEqual([{ by: 'operator', reason: 'stop all: incident' }])
    expect(events.some((e) => e.type === 'ToolStarted')).toBe(false)
  }, 30_000)

  it('holds a loop paused by an open circuit: it no longer resumes by itself', async () => {
    const server = await startScriptedServer()
    setSharedBackpressure(new Backpressure({ random: () => 0, retry: { maxAttempts: 3, baseDelayMs: 5 }, circuit: { failureThreshold: 2, coolDownMs: 3000 } }))
    const circuit = await tempAndon({ env: { ANTHROPIC_API_KEY: 'sk-ant-test-cord-0000', ...server.allowAnthropic } })
    try {
      server.anthropic.enqueue(serverError(), serverError(), toolUse('verify', {}), toolUse('verify', {}))
      const { spec: fix, specPath } = exampleSpec('fix-the-tests')
      const policy = { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: server.anthropicBaseUrl, maxTokens: 512, timeoutMs: 5_000 } as const
      const loopId = await circuit.supervisor.launch({ ...fix, policy }, { specPath })
      await until(() => circuit.supervisor.liveState(loopId).status === 'paused', 10_000, 'the open circuit to pause the loop')
      const resumeAt = circuit.supervisor.liveState(loopId).autoResumeAt!
      expect(resumeAt).toBeGreaterThan(Date.now())

      expect(await circuit.handlers.pauseAll({ reason: 'provider incident' })).toMatchObject({ paused: 1, pausedLoopIds: [loopId], failed: [] })

      // Well past the time it would have resumed at, it is still paused, for the operator's reason.
      await new Promise((r) => setTimeout(r, resumeAt - Date.now() + 700))
      const state = circuit.supervisor.liveState(loopId)
      expect(state).toMatchObject({ status: 'paused', autoResumeAt: null, pause: { by: 'operator', reason: 'stop all: provider incident' } })
      expect(circuit.store.readStream(loopId).some((e) => e.type === 'Resumed')).toBe(false)
    } finally {
      await circuit.cleanup()
      setSharedBackpressure(null)
      await server.close()
    }
  }, 30_000)
})
