/**
 * Backpressure that does not punish the loop: a pause for an open circuit uses up no iteration,
 * and stopping the host abandons a provider call in flight at once (the loop pauses for the
 * shutdown and decides that iteration again on the next start) instead of waiting it out.
 */
import { describe, expect, it } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import { serverError, stall, toolUse } from '../support/scripted-server'
import { scriptedServerPerFile } from '../support/scripted-server/per-file'
import { spec } from '../support/specs'
import { tempAndon, tempDir, until } from '../support/temp-andon'

const KEY = 'sk-ant-bp-0123456789abcdef'
const scripted = scriptedServerPerFile(KEY)

const claude = (maxIterations: number, timeoutMs = 5_000) =>
  spec({
    policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: scripted.server.anthropicBaseUrl, timeoutMs },
    invariants: { maxIterations },
    termination: { verifyCommand: 'true' }
  })

describe('backpressure and the loop', () => {
  it('a pause for an open circuit uses up no iteration: a one-iteration loop still converges after it', async () => {
    setSharedBackpressure(new Backpressure({ random: () => 0, retry: { maxAttempts: 3, baseDelayMs: 1 }, circuit: { failureThreshold: 2, coolDownMs: 300 } }))
    const andon = await tempAndon({ env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
    try {
      scripted.server.anthropic.enqueue(serverError(), serverError(), toolUse('verify', {}))
      const loopId = await andon.supervisor.launch(claude(1))
      await until(() => andon.supervisor.liveState(loopId).termination, 10_000, 'the loop to end')
      const s = andon.supervisor.liveState(loopId)
      expect(s.termination?.reason).toBe('SUCCESS')
      const events = andon.store.readStream(loopId)
      expect(events.filter((e) => e.type === 'IterationStarted')).toHaveLength(1)
      expect(events.find((e) => e.type === 'Paused')).toMatchObject({ data: { by: 'circuit-breaker' } })
      expect(events.filter((e) => e.type === 'DecisionMade').map((e) => (e as { data: { iteration: number } }).data.iteration)).toEqual([1])
    } finally {
      await andon.cleanup()
    }
  })

  it('stopping the host abandons a model call in flight at once; the loop pauses for the shutdown and decides again on restart', async () => {
    setSharedBackpressure(new Backpressure({ retry: { maxAttempts: 1 } }))
    const dataDir = tempDir()
    const first = await tempAndon({ dataDir, env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
    scripted.server.anthropic.enqueue(stall())
    // The call would wait a minute for its answer.
    const loopId = await first.supervisor.launch(claude(3, 60_000))
    await until(() => scripted.server.requests.length === 1, 10_000, 'the call to go out')
    const t0 = Date.now()
    await first.close()
    expect(Date.now() - t0).toBeLessThan(10_000)
    const second = await tempAndon({ dataDir, env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic }, reconcileOnStart: false })
    let events = second.store.readStream(loopId)
    expect(events.at(-1)).toMatchObject({ type: 'Paused', data: { by: 'shutdown' } })
    expect(events.some((e) => e.type === 'DecisionFailed' || e.type === 'Escalated')).toBe(false)
    await second.close()

    scripted.server.anthropic.enqueue(toolUse('verify', {}))
    const third = await tempAndon({ dataDir, env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
    try {
      await until(() => third.supervisor.liveState(loopId).termination, 10_000, 'the loop to end')
      events = third.store.readStream(loopId)
      expect(third.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
      expect(events.filter((e) => e.type === 'IterationStarted')).toHaveLength(1)
    } finally {
      await third.cleanup()
    }
  })
})
