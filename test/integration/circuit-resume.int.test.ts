/**
 * A provider outage opens the circuit and pauses the loop; when the circuit lets its next
 * probe through, the loop resumes by itself and converges. The pause and the resume are events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import { serverError, startScriptedServer, toolUse, type ScriptedServer } from '../support/scripted-server'
import { exampleSpec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'

let server: ScriptedServer
beforeAll(async () => {
  server = await startScriptedServer()
  setSharedBackpressure(new Backpressure({ random: () => 0, retry: { maxAttempts: 3, baseDelayMs: 5 }, circuit: { failureThreshold: 2, coolDownMs: 300 } }))
})
afterAll(async () => {
  setSharedBackpressure(null)
  await server.close()
})

describe('circuit breaker pauses, then resumes', () => {
  it('resumes a loop paused by an open circuit once the cool-down has passed', async () => {
    const andon = await tempAndon({ env: { ANTHROPIC_API_KEY: 'sk-ant-test-circuit-0000', ...server.allowAnthropic } })
    try {
      server.anthropic.enqueue(
        serverError(),
        serverError(),
        toolUse('verify', {}),
        toolUse('replace_in_file', { path: 'math.js', find: 'a - b', replace: 'a + b' }),
        toolUse('replace_in_file', { path: 'math.js', find: 'exports.mul = (a, b) => a + b', replace: 'exports.mul = (a, b) => a * b' }),
        toolUse('verify', {})
      )
      const { spec, specPath } = exampleSpec('fix-the-tests')
      const loopId = await andon.supervisor.launch(
        { ...spec, policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: server.anthropicBaseUrl, maxTokens: 512, timeoutMs: 5_000 } },
        { specPath }
      )
      await until(() => andon.supervisor.liveState(loopId).status === 'paused', 10_000, 'the circuit to pause the loop')
      expect(andon.supervisor.liveState(loopId).autoResumeAt).toBeGreaterThan(Date.now() - 1000)
      await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 15_000, 'the loop to resume and finish')
      const events = andon.store.readStream(loopId)
      expect(andon.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
      expect(events.find((e) => e.type === 'Paused')).toMatchObject({ data: { by: 'circuit-breaker', resumeAt: expect.any(Number) } })
      expect(events.find((e) => e.type === 'Resumed')).toMatchObject({ data: { by: 'circuit-breaker' } })
    } finally {
      await andon.cleanup()
    }
  })
})
