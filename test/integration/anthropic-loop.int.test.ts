/**
 * End to end: loops with the anthropic policy run through createAndon (real store, real tools,
 * the real SDK over HTTP to the scripted server) — one converges, and each provider failure
 * kind becomes an invariant failure, an escalation or a pause in the event log.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../src/shared/events'
import type { LoopSpec } from '../../src/shared/spec'
import { exampleSpec } from '../support/specs'
import { maxTokens, serverError, toolUse } from '../support/scripted-server'
import { useScriptedAnthropicCore } from '../support/scripted-anthropic-core'
import { tempAndon } from '../support/temp-andon'

const KEY = 'sk-ant-e2e-5ecret-0123456789abcdef'
const core = useScriptedAnthropicCore(KEY, { retry: { maxAttempts: 3, baseDelayMs: 5 }, circuit: { failureThreshold: 2, coolDownMs: 60_000 } })

function claudeSpec(): { spec: LoopSpec; specPath: string } {
  const { spec, specPath } = exampleSpec('fix-the-tests')
  return { spec: { ...spec, policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: core.server.anthropicBaseUrl, maxTokens: 1024, timeoutMs: 5_000 } }, specPath }
}

async function runLoop(): Promise<{ loopId: string; events: StoredEvent[] }> {
  const { spec, specPath } = claudeSpec()
  const loopId = await core.andon.supervisor.launch(spec, { specPath })
  await core.andon.supervisor.settled(loopId)
  return { loopId, events: core.andon.store.readStream(loopId) }
}

const failing = (events: StoredEvent[]) =>
  events.flatMap((e) => (e.type === 'InvariantChecked' ? e.data.results.filter((r) => !r.ok).map((r) => r.name) : []))

describe('anthropic loops through createAndon', () => {
  it('converges: decisions drive real tools, observations feed the next prompt, usage and cost are recorded, the key is not', async () => {
    core.server.anthropic.enqueue(
      toolUse('verify', {}, { report: { subgoal: 'see what fails', confidence: 0.9, rationale: 'measure first' } }),
      toolUse('replace_in_file', { path: 'math.js', find: 'a - b', replace: 'a + b' }),
      toolUse('replace_in_file', { path: 'math.js', find: 'exports.mul = (a, b) => a + b', replace: 'exports.mul = (a, b) => a * b' }),
      toolUse('verify', {})
    )
    const { loopId, events } = await runLoop()
    const state = core.andon.supervisor.liveState(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    expect(readFileSync(join(state.workspace!, 'math.js'), 'utf8')).toContain('a * b')

    const decisions = events.flatMap((e) => (e.type === 'DecisionMade' ? [e.data] : []))
    expect(decisions.map((d) => d.action.tool)).toEqual(['verify', 'replace_in_file', 'replace_in_file', 'verify'])
    expect(decisions[0]).toMatchObject({ policy: 'anthropic', subgoal: 'see what fails', confidence: 0.9, usage: { inputTokens: 1200, outputTokens: 80 } })
    expect(decisions[0].usage.costUsd).toBeCloseTo(0.0048)
    expect(state.usage.costUsd).toBeCloseTo(4 * 0.0048)
    // The second request carried the first observation: the verify failure.
    const second = core.server.requests[1].body as { messages: { content: string }[] }
    expect(second.messages[0].content).toMatch(/# Last observation\ntool: verify; ok: false[\s\S]*add\(2, 3\)/)
    expect(JSON.stringify(core.andon.store.readStream(loopId))).not.toContain(KEY)
  })

  it('an unknown tool from the model fails the valid-tool-call invariant and escalates', async () => {
    core.server.anthropic.enqueue(toolUse('deploy_to_prod', {}))
    const { loopId, events } = await runLoop()
    expect(core.andon.supervisor.liveState(loopId).status).toBe('escalated')
    expect(failing(events)).toContain('valid-tool-call')
    const packet = events.find((e) => e.type === 'Escalated')
    expect(JSON.stringify(packet)).toContain('unknown tool \\"deploy_to_prod\\"')
  })

  it('a max_tokens stop fails the response-complete invariant and escalates', async () => {
    core.server.anthropic.enqueue(maxTokens())
    const { loopId, events } = await runLoop()
    expect(core.andon.supervisor.liveState(loopId).status).toBe('escalated')
    expect(failing(events)).toContain('response-complete')
    // The tokens spent on the cut-off answer are not lost from the record.
    expect(JSON.stringify(events)).toContain('max-tokens')
  })

  it('repeated server errors open the circuit and pause the loop', async () => {
    core.server.anthropic.enqueue(serverError(), serverError(), serverError())
    const { loopId, events } = await runLoop()
    expect(core.server.requests).toHaveLength(2)
    const state = core.andon.supervisor.liveState(loopId)
    expect(state.status).toBe('paused')
    expect(events.find((e) => e.type === 'Paused')).toMatchObject({ data: { by: 'circuit-breaker', reason: expect.stringMatching(/anthropic http:\/\/127\.0\.0\.1:\d+ key:[0-9a-f]{8} circuit is open/) } })
  })

  it('a missing key stops the launch with a clear error and never calls the API', async () => {
    await core.andon.cleanup()
    core.andon = await tempAndon({ env: {} })
    const { spec, specPath } = claudeSpec()
    const outcome = await core.andon.supervisor.launch(spec, { specPath }).then(
      async (loopId) => {
        await core.andon.supervisor.settled(loopId)
        return JSON.stringify(core.andon.store.readStream(loopId))
      },
      (err: Error) => err.message
    )
    expect(outcome).toMatch(/ANTHROPIC_API_KEY/)
    expect(core.server.requests).toHaveLength(0)
  })
})
