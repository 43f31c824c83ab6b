/**
 * The `process` policy: an agent of any language as a child process speaking JSON lines, run in
 * the sandbox, in the loop's workspace. The real example agent converges; agents that break the
 * protocol, hang, crash, spend or are told no are each met with what the loop needs to go on.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import type { StoredEvent } from '../../src/shared/events'
import type { LoopSpecInput } from '../../src/shared/spec'
import { killCrashChildren, runUntilKill } from '../support/crash'
import { exampleSpec, examplesDir, spec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'
import { tempDirsPerTest } from '../support/temp-per-test'
import { processesMentioning } from '../support/processes'

const AGENTS = resolve(__dirname, '../support/process-agents')
const SECRET = 'agent-token-0123456789abcdef'
const tempDir = tempDirsPerTest()
let andon: Awaited<ReturnType<typeof tempAndon>>

beforeEach(async () => {
  andon = await tempAndon({ env: { AGENT_TOKEN: SECRET } })
})
afterEach(async () => {
  killCrashChildren()
  await andon.cleanup()
})

/** A loop whose policy is one of the test agents (run by node, given `extraArgs`). */
function agentSpec(agent: string, extra: Partial<LoopSpecInput> = {}, policy: { args?: string[]; timeoutMs?: number; env?: Record<string, string> } = {}) {
  return spec({
    policy: { kind: 'process', command: 'node', args: [join(AGENTS, agent), ...(policy.args ?? [])], env: policy.env, timeoutMs: policy.timeoutMs ?? 10_000 },
    termination: { verifyCommand: 'test -f done.txt' },
    ...extra
  })
}


const of = <T extends StoredEvent['type']>(events: StoredEvent[], type: T) => events.filter((e): e is Extract<StoredEvent, { type: T }> => e.type === type)

describe('the process policy', () => {
  it('the example agent fixes fix-the-tests through JSON lines, in the sandbox, and is gone when the loop ends', async () => {
    // The example's template carries the agent beside the same code fix-the-tests starts from.
    for (const f of ['math.js', 'verify.js']) {
      expect(readFileSync(join(examplesDir, 'process-agent', f), 'utf8')).toBe(readFileSync(join(examplesDir, 'workspaces/fix-the-tests', f), 'utf8'))
    }
    const { spec: s, specPath } = exampleSpec('process-agent')
    const loopId = await andon.supervisor.launch(s, { specPath })
    await andon.supervisor.settled(loopId)
    const st = andon.supervisor.liveState(loopId)
    expect(st.termination?.reason).toBe('SUCCESS')

    const decisions = of(andon.store.readStream(loopId), 'DecisionMade').map((e) => e.data)
    expect(decisions.map((d) => [d.policy, d.action.tool, d.subgoal, d.confidence])).toEqual([
      ['process', 'verify', 'find out what fails', 0.9],
      ['process', 'replace_in_file', 'make add() add', 0.8],
      ['process', 'verify', 'confirm the fix', 0.9],
      ['process', 'replace_in_file', 'make mul() multiply', 0.8],
      ['process', 'verify', 'confirm the fix', 0.9]
    ])
    // What the agent was asked is recorded with each decision; what it answered too.
    expect(decisions[1].prompt).toMatchObject({ type: 'decide', protocol: 1, iteration: 2, lastObservation: { tool: 'verify', ok: false } })
    expect(decisions[1].rawResponse).toMatchObject({ tool: 'replace_in_file', args: { path: 'math.js', find: 'a - b', replace: 'a + b' } })
    expect(decisions.every((d) => d.usage.costUsd === 0)).toBe(true)
    expect(readFileSync(join(st.workspace!, 'math.js'), 'utf8')).toContain('exports.add = (a, b) => a + b\nexports.mul = (a, b) => a * b')
    // Ended with the loop (SIGKILL is sent at once; the kernel takes a moment to tear processes down).
    await until(() => processesMentioning(st.workspace!).length === 0, 5_000, 'the agent to be gone')
  })

  it('an agent that prints something other than its answer escalates as a malformed response naming it', async () => {
    const loopId = await andon.supervisor.launch(agentSpec('garbage.mjs'))
    await andon.supervisor.settled(loopId)
    const st = andon.supervisor.liveState(loopId)
    expect(st.status).toBe('escalated')
    expect(st.escalation?.summary).toMatch(/^malformed-response: the agent's answer is not JSON: "loading the model, please wait\.\.\." \(stdout carries only answers; logs go to stderr\)/)
    expect(st.escalation?.failingInvariants.map((f) => f.name)).toContain('valid-tool-call')
  })

  it('an agent that never answers times out, escalates, and leaves no process behind', async () => {
    const marker = `silent-${randomUUID()}`
    const loopId = await andon.supervisor.launch(agentSpec('silent.mjs', {}, { args: [marker], timeoutMs: 500 }))
    // It really ran (the checks below and in the first test can see it, by argument and by working directory) before it was ended.
    await until(() => processesMentioning(marker).length > 0, 10_000, 'the agent to start')
    expect(processesMentioning(andon.supervisor.liveState(loopId).workspace!).length).toBeGreaterThan(0)
    await andon.supervisor.settled(loopId)
    const st = andon.supervisor.liveState(loopId)
    expect(st.status).toBe('escalated')
    expect(st.escalation?.summary).toMatch(/^timeout: the agent gave no answer within 500 ms; it was stopped/)
    await until(() => processesMentioning(marker).length === 0, 5_000, 'the agent to be gone')
  })

  // Unsandboxed (no bubblewrap where ANDON_BWRAP points, and the spec allows it), only the lifeline pipe ends it.
  it.each([
    ['in the sandbox', {}, {}],
    ['unsandboxed', { ANDON_BWRAP: '/nonexistent/bwrap' }, { sandbox: { allowUnsandboxed: true } }]
  ])('an agent does not outlive its host (%s): killed mid-decision, Andon takes the agent with it', async (_how, hostEnv, extra) => {
    const marker = `orphan-${randomUUID()}`
    const dataDir = andon.dataDir
    await andon.close()
    const s = agentSpec('silent.mjs', extra, { args: [marker], timeoutMs: 60_000 })
    const saved = { ...process.env }
    Object.assign(process.env, hostEnv)
    // The host process is started at once, with this environment; the test's own is put back before anything else runs.
    const killed = runUntilKill(dataDir, JSON.stringify(s), /IterationStarted/, {}, () => processesMentioning(marker).length > 0)
    for (const k of Object.keys(hostEnv)) if (!(k in saved)) delete process.env[k]
    await killed
    // The agent reads no more input and would wait forever: ending with its host is the only way out.
    await until(() => processesMentioning(marker).length === 0, 10_000, 'the orphaned agent to end')
    andon = await tempAndon({ dataDir, reconcileOnStart: false })
  })

  it('an agent that exits fails the decision as a server error with its exit code and stderr', async () => {
    const loopId = await andon.supervisor.launch(agentSpec('crash.mjs'))
    await andon.supervisor.settled(loopId)
    const failed = of(andon.store.readStream(loopId), 'DecisionFailed').map((e) => e.data)
    expect(failed).toMatchObject([{ policy: 'process', kind: 'server' }])
    expect(failed[0].message).toBe('the agent exited with code 3 before answering; its stderr ends: agent: out of memory loading weights (simulated)')
    expect(andon.supervisor.liveState(loopId).escalation?.summary).toContain('out of memory loading weights')
  })

  it("the usage an agent reports is the loop's and today's, and a USD budget stops it", async () => {
    const bp = new Backpressure()
    setSharedBackpressure(bp)
    const loopId = await andon.supervisor.launch(agentSpec('billing.mjs', { invariants: { budget: { usd: 1 } } }))
    await andon.supervisor.settled(loopId)
    setSharedBackpressure(null)
    expect(bp.ledger.spentToday()).toBeCloseTo(1.2, 10)
    const st = andon.supervisor.liveState(loopId)
    expect(of(andon.store.readStream(loopId), 'DecisionMade')).toHaveLength(3)
    expect(st.usage).toMatchObject({ inputTokens: 3000, outputTokens: 1500 })
    expect(st.usage.costUsd).toBeCloseTo(1.2, 10)
    expect(st.status).toBe('escalated')
    expect(st.escalation?.kind).toBe('budget')
  })

  it("an operator's rejection reason reaches the agent in its next line", async () => {
    const loopId = await andon.supervisor.launch(agentSpec('recorder.mjs', { autonomy: 'approve-every-action' }))
    await andon.supervisor.settled(loopId)
    const first = andon.supervisor.liveState(loopId)
    expect(first.pendingCall?.action).toEqual({ tool: 'write_file', args: { path: 'notes.txt', content: 'draft\n' } })
    await andon.supervisor.decideApproval(loopId, { callId: first.pendingCall!.callId, decision: 'reject', reason: 'no notes: check the build instead' })
    await andon.supervisor.settled(loopId)
    expect(andon.supervisor.liveState(loopId).pendingCall?.action.tool).toBe('verify')

    const lines = readFileSync(join(first.workspace!, 'received.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    const received = lines.map((l) => l.received)
    expect(received).toHaveLength(2)
    expect(received[0].rejections).toEqual([])
    expect(received[1].rejections).toEqual([
      { action: { tool: 'write_file', args: { path: 'notes.txt', content: 'draft\n' } }, reason: 'no notes: check the build instead', by: 'operator' }
    ])
    // One process answered both: it is kept between decisions.
    expect(received.map((m) => m.iteration)).toEqual([1, 2])
    expect(new Set(lines.map((l) => l.agent)).size).toBe(1)
    await andon.supervisor.cancel(loopId)
  })

  it('runs in the sandbox and its workspace, with a clean environment plus the spec env, its secrets filled in', async () => {
    const outside = join(tempDir(), 'escaped.txt')
    const s = agentSpec('probe.mjs', { secrets: ['AGENT_TOKEN'], autonomy: 'approve-every-action' }, { args: [outside], env: { GREETING: 'hello', TOKEN: 'Bearer ${AGENT_TOKEN}' } })
    const loopId = await andon.supervisor.launch(s)
    await andon.supervisor.settled(loopId)
    const workspace = andon.supervisor.liveState(loopId).workspace!
    const events = andon.store.readStream(loopId)
    const seen = JSON.parse(of(events, 'DecisionMade')[0].data.rationale)
    expect(seen).toMatchObject({ cwd: workspace, wroteOutside: false })
    expect(existsSync(outside)).toBe(false)
    // The secret reached the agent (and was scrubbed from what it said, like any recorded text).
    expect(seen.env).toMatchObject({ HOME: workspace, LANG: 'C.UTF-8', GREETING: 'hello', TOKEN: 'Bearer [redacted:AGENT_TOKEN]' })
    expect(seen.env.VITEST).toBeUndefined()
    expect(JSON.stringify(events)).not.toContain(SECRET)
    await andon.supervisor.cancel(loopId)
  })

  it('an agent that cannot start is a configuration error: refused at launch, or escalated saying why', async () => {
    const missing = spec({ policy: { kind: 'process', command: 'no-such-agent-program' } })
    await expect(andon.supervisor.launch(missing)).rejects.toThrow('the agent\'s program "no-such-agent-program" is not on PATH')

    // A secret the spec never declares is known to be missing before launch.
    const undeclared = agentSpec('probe.mjs', {}, { env: { TOKEN: '${AGENT_TOKEN}' } })
    await expect(andon.supervisor.launch(undeclared)).rejects.toThrow("policy.env.TOKEN: ${AGENT_TOKEN} is not one of the spec's secrets: add AGENT_TOKEN to secrets")

    // A program inside the workspace exists only once the workspace does: the loop escalates saying why.
    const relative = spec({ policy: { kind: 'process', command: './agent.sh' } })
    const loopId = await andon.supervisor.launch(relative)
    await andon.supervisor.settled(loopId)
    expect(andon.supervisor.liveState(loopId).escalation?.summary).toBe("config: the agent's program ./agent.sh is not an executable file in the loop workspace")
  })
})
