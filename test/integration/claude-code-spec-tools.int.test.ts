/**
 * The spec's own tools and guardrails under the claude-code policy: the real Claude Code (Agent
 * SDK binary) against the scripted server. A command tool and an MCP server's tool are offered to
 * Claude Code from Andon's process; each call waits at the gate, runs as Andon runs it (command
 * tools in the sandbox with their arguments intact, MCP tools through Andon's client), and is
 * recorded under Andon's name with Andon's risk. A before-call CEL invariant refuses a call, and
 * Claude hears why.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../src/shared/events'
import { LoopSpecSchema, type LoopSpecInput } from '../../src/shared/spec'
import { CLAUDE_KEY, claudeCodeEnv, lastUserTurn, scriptClaudeCode } from '../support/claude-code'
import { agentToolUse, textOnly, type ScriptedServer } from '../support/scripted-server'
import { scriptedServerPerFile } from '../support/scripted-server/per-file'
import { exampleSpec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'

let server: ScriptedServer
let andon: Awaited<ReturnType<typeof tempAndon>>

const scripted = scriptedServerPerFile(CLAUDE_KEY)
beforeEach(async () => {
  server = scripted.server
  andon = await tempAndon({ env: claudeCodeEnv(server) })
})
afterEach(() => andon.cleanup())

const HOSTILE = `it's $(touch pwned) \`touch pwned2\`\nsecond line`
const MCP_SERVER = resolve(__dirname, '../support/mcp-server.mjs')

function claudeSpec(extra: Partial<LoopSpecInput>) {
  const { spec, specPath } = exampleSpec('fix-the-tests')
  return { spec: LoopSpecSchema.parse({ ...spec, policy: { kind: 'claude-code', model: 'claude-sonnet-4-5' }, tools: [{ name: 'verify' }], ...extra }), specPath }
}

const decisions = (events: StoredEvent[]) => events.flatMap((e) => (e.type === 'DecisionMade' ? [e.data] : []))
const proposals = (events: StoredEvent[]) => events.flatMap((e) => (e.type === 'ActionProposed' ? [e.data] : []))
const toolNames = (body: unknown) => ((body as { tools: { name: string }[] }).tools ?? []).map((t) => t.name)

const fixBoth = (): ((ws: string) => ReturnType<typeof textOnly>)[] => [
  (ws) => agentToolUse('Read', { file_path: join(ws, 'math.js') }),
  (ws) => agentToolUse('Edit', { file_path: join(ws, 'math.js'), old_string: 'a - b', new_string: 'a + b' }),
  (ws) => agentToolUse('Edit', { file_path: join(ws, 'math.js'), old_string: 'exports.mul = (a, b) => a + b', new_string: 'exports.mul = (a, b) => a * b' }),
  () => textOnly('Both fixed.')
]

describe("the spec's own tools under Claude Code", () => {
  it('a command tool and an MCP tool are offered to Claude Code, gated, run by Andon, and recorded under their names', async () => {
    const { agentRequests } = scriptClaudeCode(server, [
      () => agentToolUse('mcp__andon__record', { text: HOSTILE }, 'Recording first.'),
      () => agentToolUse('mcp__notes__read_note', { name: 'todo.txt' }, 'Reading the notes.'),
      ...fixBoth()
    ])
    const { spec, specPath } = claudeSpec({
      autonomy: 'approve-risky',
      tools: [
        { name: 'verify' },
        {
          name: 'record',
          command: process.execPath,
          args: ['-e', "require('fs').writeFileSync('got.json', JSON.stringify(process.argv.slice(1))); console.log('recorded')", '{{text}}'],
          input: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false }
        }
      ],
      mcp: [{ name: 'notes', command: process.execPath, args: [MCP_SERVER] }]
    })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    // The command tool is high risk by default: it waits for the operator.
    await until(() => andon.supervisor.liveState(loopId).status === 'awaiting-approval', 60_000, 'the command tool to wait for approval')
    const ws = andon.supervisor.liveState(loopId).workspace!
    writeFileSync(join(ws, 'todo.txt'), 'fix add and mul')
    const pending = andon.supervisor.liveState(loopId).pendingCall!
    expect(pending).toMatchObject({ action: { tool: 'record', args: { text: HOSTILE } }, risk: 'high' })
    await andon.supervisor.decideApproval(loopId, { callId: pending.callId, decision: 'approve', reason: '' })
    await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 90_000, 'the loop to end')
    const state = andon.supervisor.liveState(loopId)
    const events = andon.store.readStream(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')

    // Claude Code saw both tools, with their schemas, and Andon recorded them under its names and risks.
    expect(toolNames(agentRequests()[0].body)).toEqual(expect.arrayContaining(['mcp__andon__record', 'mcp__notes__read_note']))
    expect(decisions(events).map((d) => d.action.tool)).toEqual(['record', 'mcp__notes__read_note', 'Read', 'Edit', 'Edit', 'verify'])
    expect(proposals(events).slice(0, 2).map((p) => [p.action.tool, p.risk, p.needsApproval])).toEqual([
      ['record', 'high', true],
      ['mcp__notes__read_note', 'low', false]
    ])
    // The command ran in the workspace with the text as one argument; nothing in it ran as shell.
    expect(JSON.parse(readFileSync(join(ws, 'got.json'), 'utf8'))).toEqual([HOSTILE])
    expect(readFileSync(join(ws, 'math.js'), 'utf8')).toContain('a * b')
    // Each result went back to Claude: the command's output, then the note.
    expect(lastUserTurn(agentRequests()[1])).toContain('recorded')
    expect(lastUserTurn(agentRequests()[2])).toContain('fix add and mul')
    const observed = events.flatMap((e) => (e.type === 'Observed' ? [e.data.observation] : []))
    expect(observed.slice(0, 2).map((o) => [o.tool, o.ok])).toEqual([
      ['record', true],
      ['mcp__notes__read_note', true]
    ])
  }, 150_000)

  it('a before-call invariant refuses a Claude Code call: it never runs, and Claude is told why', async () => {
    const { agentRequests } = scriptClaudeCode(server, [
      (ws) => agentToolUse('Read', { file_path: join(ws, 'verify.js') }),
      (ws) => agentToolUse('Edit', { file_path: join(ws, 'verify.js'), old_string: 'process.exit(1)', new_string: 'process.exit(0)' }, 'Make the checks pass.'),
      () => textOnly('Understood, I will not touch the checks.')
    ])
    const { spec, specPath } = claudeSpec({
      invariants: {
        custom: [
          {
            name: 'checks-are-sacred',
            when: 'before-call',
            expr: '!(call.tool in ["Edit", "Write", "MultiEdit"] && string(call.args.file_path).endsWith("verify.js"))',
            remediation: 'never edit the checks; fix the code'
          }
        ]
      }
    })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await until(() => andon.supervisor.liveState(loopId).status === 'escalated', 60_000, 'the refusal to escalate')
    const ws = andon.supervisor.liveState(loopId).workspace!
    expect(readFileSync(join(ws, 'verify.js'), 'utf8')).toContain('process.exit(1)')
    expect(andon.supervisor.liveState(loopId).escalation!.failingInvariants[0]).toMatchObject({ name: 'checks-are-sacred', remediation: 'never edit the checks; fix the code' })
    await andon.supervisor.resume(loopId)
    await until(() => agentRequests().length >= 3, 60_000, 'Claude to hear the refusal')
    expect(lastUserTurn(agentRequests()[2])).toContain('Andon refused this call: invariant checks-are-sacred refused the call: never edit the checks; fix the code')
    await andon.supervisor.cancel(loopId)
  }, 120_000)
})
