/** The global daily budget counts today's spend from the store, so a restart does not reset it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setSharedBackpressure } from '../../src/main/core/backpressure'
import { startScriptedServer, toolUse, type ScriptedServer } from '../support/scripted-server'
import { spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'

let server: ScriptedServer
beforeAll(async () => (server = await startScriptedServer()))
afterAll(async () => {
  setSharedBackpressure(null)
  await server.close()
})

describe('global daily budget across restarts', () => {
  it('a new process refuses model calls once the spend recorded today reaches the limit', async () => {
    const dataDir = tempDir()
    const claude = () =>
      spec({
        policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: server.anthropicBaseUrl, maxTokens: 512, timeoutMs: 5_000 },
        termination: { verifyCommand: 'true' }
      })
    setSharedBackpressure(null)
    const first = await tempAndon({ dataDir, env: { ANTHROPIC_API_KEY: 'sk-ant-test-budget-000000', ANDON_DAILY_BUDGET_USD: '1000', ...server.allowAnthropic } })
    server.anthropic.enqueue(toolUse('verify', {}))
    const a = await first.supervisor.launch(claude())
    await first.supervisor.settled(a)
    const spent = first.supervisor.liveState(a).usage.costUsd
    expect(spent).toBeGreaterThan(0)
    await first.close()

    // A new process with a limit just under what was already spent today.
    setSharedBackpressure(null)
    const second = await tempAndon({ dataDir, env: { ANTHROPIC_API_KEY: 'sk-ant-test-budget-000000', ANDON_DAILY_BUDGET_USD: String(spent * 0.9), ...server.allowAnthropic } })
    const calls = server.requests.length
    const b = await second.supervisor.launch(claude())
    await second.supervisor.settled(b)
    const state = second.supervisor.liveState(b)
    expect(state.escalation?.kind).toBe('budget')
    expect(server.requests.length).toBe(calls)
    await second.cleanup()
  })
})
