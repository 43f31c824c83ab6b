/**
 * Claude Code under supervision: the real Agent SDK and its bundled Claude Code binary, against
 * the scripted Messages server (streamed), in loops run by the real core. Every tool call Claude
 * Code makes passes Andon's gate and is recorded; Andon's verify, not Claude's "done", ends the loop.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../src/shared/events'
import type { LoopSpec } from '../../src/shared/spec'
import { CLAUDE_KEY, claudeCodeEnv, lastUserTurn, scriptClaudeCode } from '../support/claude-code'
import { agentToolUse, textOnly, type ScriptedServer } from '../support/scripted-server'
import { scriptedServerPerFile } from '../support/scripted-server/per-file'
import { killCrashChildren, runUntilKill } from '../support/crash'
import { exampleSpec, examplesDir } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'

let server: ScriptedServer
let andon: Awaited<ReturnType<typeof tempAndon>>

const scripted = scriptedServerPerFile(CLAUDE_KEY)
beforeEach(async () => {
  server = scripted.server
  andon = await tempAndon({ env: claudeCodeEnv(server) })
})
afterEach(async () => {
  killCrashChildren()
  await andon.cleanup()
})

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

/** Read and fix both functions, then say done: the rest of a session once the test's own calls are through. */
const fixBoth = (): ((ws: string) => ReturnType<typeof textOnly>)[] => [
  (ws) => agentToolUse('Read', { file_path: join(ws, 'math.js') }),
  (ws) => agentToolUse('Edit', { file_path: join(ws, 'math.js'), old_string: 'a - b', new_string: 'a + b' }),
  (ws) => agentToolUse('Edit', { file_path: join(ws, 'math.js'), old_string: 'exports.mul = (a, b) => a + b', new_string: 'exports.mul = (a, b) => a * b' }),
  () => textOnly('Both fixed.')
]

async function waitingCall(loopId: string): Promise<{ callId: string; tool: string; args: Record<string, unknown> }> {
  const s = (await until(() => {
    const st = andon.supervisor.liveState(loopId)
    return st.status === 'awaiting-approval' && st.pendingCall?.approved === null ? st : null
  }, 30_000, 'a call waiting for approval'))!
  return { callId: s.pendingCall!.callId, tool: s.pendingCall!.action.tool, args: s.pendingCall!.action.args }
}

describe('the gate over Claude Code', () => {
  it('a rejection reason reaches Claude; an edited approval runs the edited input; low-risk calls pass', async () => {
    const { agentRequests } = scriptClaudeCode(server, [
      agentToolUse('Bash', { command: 'rm -rf build', description: 'clean the build' }),
      agentToolUse('Bash', { command: 'echo proposed > one.txt' }),
      ...fixBoth()
    ])
    const { spec, specPath } = claudeSpec({ autonomy: 'approve-risky' })
    const loopId = await andon.supervisor.launch(spec, { specPath })

    const first = await waitingCall(loopId)
    expect(first).toMatchObject({ tool: 'Bash', args: { command: 'rm -rf build' } })
    expect(andon.supervisor.inbox().map((i) => i.summary)).toEqual(['Bash (high risk) wants approval'])
    await andon.supervisor.decideApproval(loopId, { callId: first.callId, decision: 'reject', reason: 'never delete the build folder' })

    const second = await waitingCall(loopId)
    expect(lastUserTurn(agentRequests()[1])).toContain('never delete the build folder')
    await andon.supervisor.decideApproval(loopId, { callId: second.callId, decision: 'approve', editedArgs: { command: 'echo edited > one.txt' }, reason: '' })

    await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 60_000, 'the loop to end')
    const state = andon.supervisor.liveState(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    expect(readFileSync(join(state.workspace!, 'one.txt'), 'utf8').trim()).toBe('edited')
    const events = andon.store.readStream(loopId)
    const started = events.flatMap((e) => (e.type === 'ToolStarted' ? [e.data] : []))
    expect(started.map((s) => s.tool)).toEqual(['Bash', 'Read', 'Edit', 'Edit', 'verify'])
    expect(started[0].args).toEqual({ command: 'echo edited > one.txt' })
    // The rejected call never ran; the low- and medium-risk calls never waited.
    const proposed = events.flatMap((e) => (e.type === 'ActionProposed' ? [[e.data.action.tool, e.data.risk, e.data.needsApproval]] : []))
    expect(proposed).toEqual([
      ['Bash', 'high', true],
      ['Bash', 'high', true],
      ['Read', 'low', false],
      ['Edit', 'medium', false],
      ['Edit', 'medium', false],
      ['verify', 'medium', false]
    ])
  }, 90_000)

  it('suggest-only: a call waits and never runs by itself; the operator\'s answer reaches Claude as the denial', async () => {
    const { agentRequests } = scriptClaudeCode(server, [agentToolUse('Bash', { command: 'touch made.txt' }), textOnly('Understood.')])
    const { spec, specPath } = claudeSpec({ autonomy: 'suggest-only', invariants: { ...claudeSpec().spec.invariants, maxIterations: 2 } })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    const call = await waitingCall(loopId)
    expect(call).toMatchObject({ tool: 'Bash', args: { command: 'touch made.txt' } })
    expect(andon.supervisor.inbox()).toMatchObject([{ kind: 'approval', suggestion: true }])
    // Nothing ran while it waited: no second request to the model, no tool started, no file.
    expect(agentRequests()).toHaveLength(1)
    await andon.supervisor.answerCall(loopId, { callId: call.callId, ok: true, answer: 'made.txt already exists; skip it' })
    await until(() => agentRequests().length === 2, 30_000, 'the second request')
    expect(lastUserTurn(agentRequests()[1])).toContain('made.txt already exists; skip it')
    const events = andon.store.readStream(loopId)
    expect(events.some((e) => e.type === 'ToolStarted' && e.data.tool === 'Bash')).toBe(false)
    expect(events.find((e) => e.type === 'ActionAnswered')).toMatchObject({ data: { callId: call.callId, by: 'operator', ok: true } })
    expect(existsSync(join(andon.supervisor.liveState(loopId).workspace!, 'made.txt'))).toBe(false)
    await andon.supervisor.cancel(loopId)
  }, 60_000)

  it('an edit outside the workspace is high risk whatever the table says', async () => {
    scriptClaudeCode(server, [agentToolUse('Write', { file_path: '/tmp/andon-outside.txt', content: 'x' })])
    const { spec, specPath } = claudeSpec({ autonomy: 'approve-risky' })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    const call = await waitingCall(loopId)
    expect(call.tool).toBe('Write')
    expect(andon.supervisor.liveState(loopId).pendingCall?.risk).toBe('high')
    await andon.supervisor.cancel(loopId)
  }, 60_000)
})

/** Processes whose working folder is `dir`: the Claude Code a loop started there, if it still runs. */
function processesIn(dir: string): number[] {
  return readdirSync('/proc').flatMap((pid) => {
    try {
      return /^\d+$/.test(pid) && readlinkSync(`/proc/${pid}/cwd`) === dir ? [Number(pid)] : []
    } catch {
      return []
    }
  })
}

/** The folder a fork's first message tells Claude to work in. */
const forkFolder = (body: unknown) => /You now work in a copy of the files, in ([^\s:]+):/.exec(JSON.stringify(body))![1]

/** Whether a Claude Code session transcript under `configDir` holds `text`. */
function transcriptSays(configDir: string, text: string): boolean {
  const projects = join(configDir, 'projects')
  if (!existsSync(projects)) return false
  return readdirSync(projects, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jsonl'))
    .some((f) => readFileSync(join(projects, f), 'utf8').includes(text))
}

const sessionOf = (d: { rawResponse?: unknown }) => (d.rawResponse as { claudeCode: { sessionId: string } }).claudeCode.sessionId

describe('supervising a Claude Code session over time', () => {
  it('a failed invariant holds the next call; a fact patched in reaches Claude with the next result; resume runs the held call', async () => {
    const { agentRequests } = scriptClaudeCode(server, [
      agentToolUse('Bash', { command: 'ls' }, 'Looking around.'),
      agentToolUse('Bash', { command: 'ls' }, 'Looking again.'),
      agentToolUse('Bash', { command: 'cat verify.js > seen.txt' }),
      ...fixBoth()
    ])
    const { spec, specPath } = claudeSpec({ invariants: { ...claudeSpec().spec.invariants, sameActionLimit: 2 } })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await until(() => andon.supervisor.liveState(loopId).status === 'escalated', 30_000, 'the escalation')
    // Claude Code has asked for its third call by now; it waits at the gate and does not run.
    await until(() => agentRequests().length === 3, 30_000, 'the third request')
    let state = andon.supervisor.liveState(loopId)
    expect(state.escalation?.failingInvariants.map((f) => f.name)).toContain('no-looping')
    expect(state.escalation?.reasoningTrail.map((t) => [t.action.tool, t.rationale])).toEqual([['Bash', 'Looking around.'], ['Bash', 'Looking again.']])
    await new Promise((r) => setTimeout(r, 300))
    expect(andon.store.readStream(loopId).filter((e) => e.type === 'ToolStarted')).toHaveLength(2)

    await andon.supervisor.patch(loopId, { ops: [{ op: 'addFact', fact: 'the checks live in verify.js' }] }, 'a hint')
    await andon.supervisor.resume(loopId)
    await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 60_000, 'the loop to end')
    state = andon.supervisor.liveState(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    expect(readFileSync(join(state.workspace!, 'seen.txt'), 'utf8')).toContain('checks')
    // The request after the held call ran carried the operator's fact.
    expect(lastUserTurn(agentRequests()[3])).toContain('the checks live in verify.js')
    expect(lastUserTurn(agentRequests()[2])).not.toContain('the checks live in verify.js')
  }, 90_000)

  it('cancel ends the Claude Code process and the loop', async () => {
    scriptClaudeCode(server, [agentToolUse('Bash', { command: 'echo hi' })])
    const { spec, specPath } = claudeSpec({ autonomy: 'approve-every-action' })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await waitingCall(loopId)
    const workspace = andon.supervisor.liveState(loopId).workspace!
    expect(processesIn(workspace).length).toBeGreaterThan(0)
    await andon.supervisor.cancel(loopId)
    expect(andon.supervisor.liveState(loopId).termination?.reason).toBe('CANCELLED')
    await until(() => processesIn(workspace).length === 0, 10_000, 'Claude Code to exit')
  }, 60_000)

  it('after the host is killed mid-session, the loop resumes the same Claude Code session', async () => {
    const { agentRequests } = scriptClaudeCode(server, [
      agentToolUse('Bash', { command: 'echo before > before.txt' }, 'First, a note.'),
      // After the restart Claude is told the held call did not run, and asks again.
      agentToolUse('Bash', { command: 'echo before > before.txt' }, 'Asking again.'),
      ...fixBoth()
    ])
    const { spec } = claudeSpec({ autonomy: 'approve-every-action' })
    const withTemplate = { ...spec, workspace: join(examplesDir, 'workspaces/fix-the-tests') }
    await andon.cleanup()
    andon = await tempAndon({ env: claudeCodeEnv(server) })
    const dataDir = andon.dataDir
    await andon.close()
    const env = claudeCodeEnv(server)
    // Killed once Claude Code has written its turn to the session's transcript (as it does within moments).
    const { loopId } = await runUntilKill(dataDir, JSON.stringify(withTemplate), /ActionProposed/, env, () => transcriptSays(env.CLAUDE_CONFIG_DIR, 'First, a note.'))

    // Claude Code did not outlive its host (left alone it would go on calling the model).
    const killedWorkspace = join(dataDir, 'workspaces', loopId)
    await until(() => processesIn(killedWorkspace).length === 0, 10_000, 'the orphaned Claude Code to end')
    const requestsBefore = agentRequests().length
    await new Promise((r) => setTimeout(r, 500))
    expect(agentRequests()).toHaveLength(requestsBefore)

    andon = await tempAndon({ dataDir, env })
    const first = andon.store.readStream(loopId).flatMap((e) => (e.type === 'DecisionMade' ? [e.data] : []))[0]
    const held = await waitingCall(loopId)
    await andon.supervisor.decideApproval(loopId, { callId: held.callId, decision: 'approve', reason: '' })
    // The call's session died with the host: it did not run, and Claude Code is resumed and asked to go on.
    const again = await waitingCall(loopId)
    expect(again.callId).not.toBe(held.callId)
    const resumed = agentRequests()[requestsBefore]
    expect(JSON.stringify(resumed.body)).toContain('First, a note.')
    expect(lastUserTurn(resumed)).toContain('restarted')
    const decided = andon.store.readStream(loopId).flatMap((e) => (e.type === 'DecisionMade' ? [e.data] : []))
    expect(sessionOf(decided.at(-1)!)).toBe(sessionOf(first))
    for (let i = 0; i < 8; i++) {
      const call = await waitingCall(loopId)
      await andon.supervisor.decideApproval(loopId, { callId: call.callId, decision: 'approve', reason: '' })
      if (call.tool === 'verify') break
    }
    await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 60_000, 'the loop to end')
    expect(andon.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
  }, 120_000)

  it('a fork resumes the recorded conversation at the fork point, as a new session', async () => {
    const { agentRequests } = scriptClaudeCode(server, [
      (ws) => agentToolUse('Read', { file_path: join(ws, 'math.js') }, 'Reading first.'),
      (ws) => agentToolUse('Edit', { file_path: join(ws, 'math.js'), old_string: 'a - b', new_string: 'a + b' }, 'Fixing add.'),
      (ws) => agentToolUse('Edit', { file_path: join(ws, 'math.js'), old_string: 'exports.mul = (a, b) => a + b', new_string: 'exports.mul = (a, b) => a * b' }, 'Fixing mul.'),
      textOnly('Both fixed.'),
      // The fork: Claude continues from after its first edit, in the folder the fork's note names.
      (_ws, body) => agentToolUse('Read', { file_path: join(forkFolder(body), 'math.js') }, 'Reading my copy.'),
      (_ws, body) => agentToolUse('Edit', { file_path: join(forkFolder(body), 'math.js'), old_string: 'exports.mul = (a, b) => a + b', new_string: 'exports.mul = (a, b) => b * a' }, 'Fixing mul my way.'),
      textOnly('Done in the fork.')
    ])
    const { spec, specPath } = claudeSpec()
    const parentId = await andon.supervisor.launch(spec, { specPath })
    await until(() => andon.supervisor.liveState(parentId).status === 'terminated', 60_000, 'the parent to end')
    const parentEvents = andon.store.readStream(parentId)
    // Fork right after iteration 2 (the first edit) was observed.
    const at = parentEvents.find((e) => e.type === 'Observed' && e.data.iteration === 2)!.version
    const childId = await andon.supervisor.fork(parentId, at)
    await until(() => andon.supervisor.liveState(childId).status === 'terminated', 60_000, 'the fork to end')
    const child = andon.supervisor.liveState(childId)
    expect(child.termination?.reason).toBe('SUCCESS')
    expect(readFileSync(join(child.workspace!, 'math.js'), 'utf8')).toContain('b * a')
    // The fork's first request holds the parent's conversation up to the first edit's result, and not past it.
    const forkFirst = JSON.stringify(agentRequests()[4].body)
    expect(forkFirst).toContain(`You now work in a copy of the files, in ${child.workspace}`)
    expect(forkFirst).toContain('Fixing add.')
    expect(forkFirst).not.toContain('Fixing mul.')
    const parentSession = sessionOf(decisions(parentEvents)[0])
    const childDecisions = decisions(andon.store.readStream(childId))
    expect(sessionOf(childDecisions[0])).not.toBe(parentSession)
  }, 120_000)
})

describe('pause and budgets over Claude Code', () => {
  it("a pause holds Claude Code's next call at the gate until the loop resumes", async () => {
    const { agentRequests } = scriptClaudeCode(server, [agentToolUse('Bash', { command: 'echo one > one.txt' }), agentToolUse('Bash', { command: 'echo two > two.txt' }), ...fixBoth()])
    const { spec, specPath } = claudeSpec({ autonomy: 'approve-every-action' })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    const first = await waitingCall(loopId)
    await andon.supervisor.decideApproval(loopId, { callId: first.callId, decision: 'approve', reason: '' })
    await andon.supervisor.pause(loopId, 'lunch')
    // Claude Code asks for its second call while the loop is paused: it waits and does not run.
    await until(() => agentRequests().length === 2, 30_000, 'the second request')
    await new Promise((r) => setTimeout(r, 400))
    expect(andon.supervisor.liveState(loopId).status).toBe('paused')
    const workspace = andon.supervisor.liveState(loopId).workspace!
    expect(readFileSync(join(workspace, 'one.txt'), 'utf8').trim()).toBe('one')
    expect(() => readFileSync(join(workspace, 'two.txt'))).toThrow()
    await andon.supervisor.resume(loopId)
    const second = await waitingCall(loopId)
    expect(second.args).toEqual({ command: 'echo two > two.txt' })
    await andon.supervisor.cancel(loopId)
  }, 60_000)

  it("Claude Code's token use counts against the loop's USD budget: over it, the call waits and the loop escalates", async () => {
    // Each scripted answer costs 1200 input + 80 output tokens at $3/$15 per million ≈ $0.0048.
    scriptClaudeCode(server, [agentToolUse('Bash', { command: 'echo one > one.txt' }), agentToolUse('Bash', { command: 'echo two > two.txt' })])
    const base = claudeSpec().spec.invariants
    const { spec, specPath } = claudeSpec({ invariants: { ...base, budget: { usd: 0.005 } } })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await until(() => andon.supervisor.liveState(loopId).status === 'escalated', 30_000, 'the budget escalation')
    const state = andon.supervisor.liveState(loopId)
    expect(state.escalation?.kind).toBe('budget')
    expect(state.usage.costUsd).toBeGreaterThan(0.005)
    expect(readFileSync(join(state.workspace!, 'one.txt'), 'utf8').trim()).toBe('one')
    expect(() => readFileSync(join(state.workspace!, 'two.txt'))).toThrow()
    await andon.supervisor.cancel(loopId)
  }, 60_000)
})

describe("Claude Code's commands", () => {
  it("run in the sandbox the spec opens: Bash writes inside the workspace, not outside it", async () => {
    const outside = join(tmpdir(), `andon-claude-outside-${process.pid}-${Date.now()}`)
    scriptClaudeCode(server, [
      agentToolUse('Bash', { command: 'echo inside > inside.txt' }),
      agentToolUse('Bash', { command: `echo outside > ${outside}` }),
      ...fixBoth()
    ])
    const { spec, specPath } = claudeSpec()
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 60_000, 'the loop to end')
    const state = andon.supervisor.liveState(loopId)
    expect(readFileSync(join(state.workspace!, 'inside.txt'), 'utf8').trim()).toBe('inside')
    expect(existsSync(outside)).toBe(false)
    const second = andon.store.readStream(loopId).find((e) => e.type === 'Observed' && e.data.iteration === 2)
    expect(second).toMatchObject({ data: { observation: { tool: 'Bash', ok: false } } })
  }, 90_000)
})

describe('when Claude Code cannot run', () => {
  it('a Claude Code that exits at once escalates with what it said, and nothing hangs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'andon-broken-claude-'))
    const bin = join(dir, 'claude')
    writeFileSync(bin, '#!/bin/sh\necho "claude: cannot read its configuration" >&2\nexit 3\n')
    chmodSync(bin, 0o755)
    const { spec, specPath } = claudeSpec()
    const loopId = await andon.supervisor.launch({ ...spec, policy: { ...spec.policy, executable: bin } as LoopSpec['policy'] }, { specPath })
    await until(() => andon.supervisor.liveState(loopId).status === 'escalated', 30_000, 'the escalation')
    const state = andon.supervisor.liveState(loopId)
    expect(state.escalation?.kind).toBe('error')
    expect(state.escalation?.summary).toContain('claude: cannot read its configuration')
    expect(andon.store.readStream(loopId).some((e) => e.type === 'ToolStarted')).toBe(false)
  }, 60_000)
})

describe('a conversation that cannot be resumed', () => {
  it('escalates saying so, and resuming the loop starts a new session with the task', async () => {
    const { agentRequests } = scriptClaudeCode(server, [agentToolUse('Bash', { command: 'echo one' }), agentToolUse('Bash', { command: 'echo again' })])
    const env = claudeCodeEnv(server)
    await andon.cleanup()
    andon = await tempAndon({ env })
    const { spec, specPath } = claudeSpec({ autonomy: 'approve-every-action' })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    const held = await waitingCall(loopId)
    // Andon restarts, and the session's transcript is gone (another machine, another config folder).
    const dataDir = andon.dataDir
    await andon.close()
    rmSync(join(env.CLAUDE_CONFIG_DIR, 'projects'), { recursive: true, force: true })
    andon = await tempAndon({ dataDir, env })
    await andon.supervisor.decideApproval(loopId, { callId: held.callId, decision: 'approve', reason: '' })
    await until(() => andon.supervisor.liveState(loopId).status === 'escalated', 30_000, 'the escalation')
    expect(andon.supervisor.liveState(loopId).escalation?.summary).toMatch(/could not resume session [0-9a-f-]{36}.*No conversation found/)
    await andon.supervisor.resume(loopId)
    const again = await waitingCall(loopId)
    expect(again.args).toEqual({ command: 'echo again' })
    expect(lastUserTurn(agentRequests().at(-1)!)).toContain('Make `node verify.js` pass')
    await andon.supervisor.cancel(loopId)
  }, 90_000)
})
