/**
 * Claude Code under supervision: the real Agent SDK and its bundled Claude Code binary, against
 * the scripted Messages server (streamed), in loops run by the real core. Every tool call Claude
 * Code makes passes Andon's gate and is recorded; Andon's verify, not Claude's "done", ends the loop.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../src/shared/events'
import type { LoopSpec } from '../../src/shared/spec'
import { CLAUDE_KEY, claudeCodeEnv, lastUserTurn, scriptClaudeCode } from '../support/claude-code'
import { agentToolUse, startScriptedServer, textOnly, type ScriptedServer } from '../support/scripted-server'
import { exampleSpec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'

let server: ScriptedServer
let andon: Awaited<ReturnType<typeof tempAndon>>

beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(() => server.close())
beforeEach(async () => {
  server.anthropic.reset()
  server.requests.length = 0
  andon = await tempAndon({ env: claudeCodeEnv(server) })
})
afterEach(() => andon.cleanup())

function claudeSpec(extra: Partial<LoopSpec> = {}): { spec: LoopSpec; specPath: string } {
  const { spec, specPath } = exampleSpec('fix-the-tests')
  return { spec: { ...spec, policy: { kind: 'claude-code', model: 'claude-sonnet-4-5', toolRisk: {} }, tools: [{ name: 'verify' }], ...extra }, specPath }
}

const decisions = (events: StoredEvent[]) => events.flatMap((e) => (e.type === 'DecisionMade' ? [e.data] : []))

describe('claude-code loops', () => {
  it('edits a file, is told its "done" failed the verify command, goes on, and converges', async () => {
    const { agentRequests } = scriptClaudeCode(server, [
      (ws) => agentToolUse('Read', { file_path: join(ws, 'math.js') }, 'Let me look at the code.'),
      (ws) => agentToolUse('Edit', { file_path: join(ws, 'math.js'), old_string: 'a - b', new_string: 'a + b' }, 'add() subtracts; fixing it.'),
      textOnly('Fixed add. Done.'),
      (ws) => agentToolUse('Edit', { file_path: join(ws, 'math.js'), old_string: 'exports.mul = (a, b) => a + b', new_string: 'exports.mul = (a, b) => a * b' }, 'mul() adds.'),
      textOnly('Fixed mul too.')
    ])
    const { spec, specPath } = claudeSpec()
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 60_000, 'the loop to end')
    const state = andon.supervisor.liveState(loopId)
    const events = andon.store.readStream(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    expect(readFileSync(join(state.workspace!, 'math.js'), 'utf8')).toContain('a * b')
    // One iteration per tool call; each end of turn is Andon's verify.
    expect(decisions(events).map((d) => d.action.tool)).toEqual(['Read', 'Edit', 'verify', 'Edit', 'verify'])
    expect(decisions(events)[1]).toMatchObject({ policy: 'claude-code', rationale: 'add() subtracts; fixing it.' })
    expect(events.filter((e) => e.type === 'ToolFinished').map((e) => e.type === 'ToolFinished' && e.data.ok)).toEqual([true, true, false, true, true])
    // After "done", the verify failure was the next thing Claude Code heard.
    const afterDone = agentRequests()[3]
    expect(lastUserTurn(afterDone)).toMatch(/node verify\.js.*failed[\s\S]*mul\(4, 5\)/)
    expect(state.usage.inputTokens).toBeGreaterThan(0)
    expect(state.usage.costUsd).toBeGreaterThan(0)
    const mark = decisions(events)[0].rawResponse as { claudeCode: { sessionId: string } }
    expect(mark.claudeCode.sessionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(JSON.stringify(events)).not.toContain(CLAUDE_KEY)
  }, 90_000)
})
