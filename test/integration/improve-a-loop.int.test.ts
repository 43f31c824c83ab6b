/**
 * The improvement loop (resources/examples/improve-a-loop.yaml) end to end: the real core, the
 * real SDK against the scripted Anthropic server, the real sandbox, and the validation gate run
 * by the loop's verify command through Andon's own CLI ($ANDON_CLI) inside that sandbox. A
 * candidate that fixes the failing cases ends the loop in SUCCESS; a looser judge, a candidate no
 * better than the baseline, and a write to the suite never do.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../src/shared/events'
import { exampleSpec, examplesDir } from '../support/specs'
import { startScriptedServer, toolUse, type ScriptedServer } from '../support/scripted-server'
import { tempAndon, until } from '../support/temp-andon'

const KEY = 'sk-ant-improve-0123456789abcdef'
const template = join(examplesDir, 'workspaces', 'improve-a-loop')
const baseline = readFileSync(join(template, 'baseline.yaml'), 'utf8')
const suite = readFileSync(join(template, 'suite.yaml'), 'utf8')

/** The baseline with one rule more, before its catch-all, as version v2. */
function withRule(rule: string): string {
  const at = baseline.indexOf('    - name: look again')
  expect(at).toBeGreaterThan(0)
  return (baseline.slice(0, at) + rule + baseline.slice(at)).replace('version: v1', 'version: v2')
}
const FIXES_LOG_LEVEL = withRule(
  "    - name: log at info\n      when: { lastTool: read_file, outputMatches: '(?m)^log_level = trace$' }\n" +
    "      then: { tool: replace_in_file, args: { path: service.conf, find: 'log_level = trace', replace: 'log_level = info' } }\n"
)
/** A rule for a log level no case has: it changes nothing the suite measures. */
const NO_BETTER = withRule(
  "    - name: quieter debug logs\n      when: { lastTool: read_file, outputMatches: '(?m)^log_level = debug$' }\n" +
    "      then: { tool: replace_in_file, args: { path: service.conf, find: 'log_level = debug', replace: 'log_level = info' } }\n"
)
/** Judged by a looser predicate: any read counts as success. */
const LOOSER_JUDGE = baseline.replace(/^ {2}success: .*$/m, '  success: observation.tool == "read_file"')

let server: ScriptedServer
let andon: Awaited<ReturnType<typeof tempAndon>>

beforeAll(async () => {
  server = await startScriptedServer()
  server.anthropic.apiKey = KEY
})
afterAll(() => server.close())
beforeEach(async () => {
  server.anthropic.reset()
  server.requests.length = 0
  andon = await tempAndon({ env: { ANTHROPIC_API_KEY: KEY, ...server.allowAnthropic } })
})
afterEach(() => andon.cleanup())

async function launch(): Promise<string> {
  const { spec, specPath } = exampleSpec('improve-a-loop')
  if (spec.policy.kind !== 'anthropic') throw new Error('the example is an anthropic loop')
  return andon.supervisor.launch({ ...spec, policy: { ...spec.policy, baseUrl: server.anthropicBaseUrl, timeoutMs: 10_000 } }, { specPath })
}

/** Wait for the loop to stop with a call waiting for the operator, and return it. */
async function waitingCall(loopId: string) {
  return until(() => {
    const s = andon.supervisor.liveState(loopId)
    return s.status === 'awaiting-approval' && s.pendingCall?.approved === null ? s.pendingCall : null
  }, 30_000, 'a call waiting for the operator')
}

/** The operator sees the proposed candidate, then approves writing it. */
async function approveCandidate(loopId: string, content: string): Promise<void> {
  const call = (await waitingCall(loopId))!
  expect(call.action).toEqual({ tool: 'write_file', args: { path: 'candidate.yaml', content } })
  await andon.handlers.decideApproval({ loopId, callId: call.callId, decision: 'approve', reason: '' })
}

const observations = (events: StoredEvent[]) => events.flatMap((e) => (e.type === 'Observed' ? [e.data.observation] : []))
/** What the model was told last in request `i` (its user message carries the last observation). */
const prompt = (i: number) => JSON.stringify((server.requests[i].body as { messages: unknown[] }).messages)

const readAll = [toolUse('read_file', { path: 'NOTES.md' }), toolUse('read_file', { path: 'baseline.yaml' }), toolUse('read_file', { path: 'suite.yaml' })]

describe('the improvement loop, supervised like any other', () => {
  it('the launch form lists it, and it and the loop it improves check as a launch would', async () => {
    const entry = (await andon.handlers.listSpecs({})).find((s) => s.name === 'improve-a-loop')
    expect(entry).toMatchObject({ path: join(examplesDir, 'improve-a-loop.yaml'), error: null })
    const checked = await andon.handlers.validateSpec({ text: entry!.text, specId: entry!.id })
    expect(checked).toMatchObject({ ok: true, spec: { autonomy: 'approve-risky', policy: { kind: 'anthropic' }, workspace: 'workspaces/improve-a-loop' } })
    expect(checked.warnings ?? []).toEqual([])
    // The baseline starts no command, so the gate can run it inside the improving loop's sandbox.
    expect(await andon.handlers.validateSpec({ text: baseline })).toMatchObject({ ok: true, spec: { tools: [{ name: 'read_file' }, { name: 'replace_in_file' }] } })
  })

  it('a candidate that fixes the failing cases: the operator approves it, the gate says better, the loop ends in SUCCESS', async () => {
    server.anthropic.enqueue(...readAll, toolUse('write_file', { path: 'candidate.yaml', content: FIXES_LOG_LEVEL }), toolUse('verify', {}))
    const loopId = await launch()
    await approveCandidate(loopId, FIXES_LOG_LEVEL)
    await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 120_000, 'the loop to end')

    const state = andon.supervisor.liveState(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    const events = andon.store.readStream(loopId)
    // The write waited for the operator by the spec's ask rule (approve-risky alone would have let it run).
    const writes = events.flatMap((e) => (e.type === 'ActionProposed' && e.data.action.tool === 'write_file' ? [e.data] : []))
    expect(writes).toMatchObject([{ needsApproval: true, rule: { effect: 'ask', pattern: 'write_file(candidate.yaml)', source: 'spec' } }])
    // The model read the suite before it wrote: the suite's text reached its fourth request.
    expect(prompt(3)).toContain('trace logging')
    const verify = observations(events).at(-1)!
    expect(verify).toMatchObject({ tool: 'verify', ok: true })
    // 0/3 → 3/3 alone is p = 1/20, not under 0.05: the case gained, the suite as a whole is better.
    expect(verify.excerpt).toMatch(/more +trace logging: passed 0\/3 → 3\/3 \(p = 0\.05, p = 0\.1 corrected for 2 cases\)/)
    expect(verify.excerpt).toMatch(/verdict: BETTER at 95% confidence \(candidate v2 vs baseline v1\)/)
    // The gate ran real loops, with its store inside the loop's own workspace.
    expect(existsSync(join(state.workspace!, '.gate', 'data', 'andon.db'))).toBe(true)
    expect(readFileSync(join(state.workspace!, 'candidate.yaml'), 'utf8')).toBe(FIXES_LOG_LEVEL)
    expect(JSON.stringify(events)).not.toContain(KEY)
  }, 150_000)

  it('a looser judge and a candidate no better both fail verify, the model hears why; writing the suite is refused and escalates', async () => {
    server.anthropic.enqueue(
      ...readAll,
      toolUse('write_file', { path: 'candidate.yaml', content: LOOSER_JUDGE }),
      toolUse('verify', {}),
      toolUse('write_file', { path: 'candidate.yaml', content: NO_BETTER }),
      toolUse('verify', {}),
      toolUse('write_file', { path: 'suite.yaml', content: 'cases: []\n' })
    )
    const loopId = await launch()
    await approveCandidate(loopId, LOOSER_JUDGE)
    await approveCandidate(loopId, NO_BETTER)
    await until(() => andon.supervisor.liveState(loopId).status === 'escalated', 120_000, 'the loop to stop for an operator')

    const state = andon.supervisor.liveState(loopId)
    expect(state.termination).toBeNull()
    const verifies = observations(andon.store.readStream(loopId)).filter((o) => o.tool === 'verify')
    expect(verifies.map((o) => o.ok)).toEqual([false, false])
    // The first never reached the gate: the candidate changed how runs are judged.
    expect(verifies[0].summary).toMatch(/stage same judge \(1 of 2\) failed/)
    expect(prompt(5)).toContain('candidate.yaml changes `termination`')
    // The second did, and the gate could not tell the two apart: the model is told so, case by case.
    expect(verifies[1].summary).toMatch(/stage gate \(2 of 2\) failed: .*exit 1/)
    expect(verifies[1].excerpt).toMatch(/same +trace logging: passed 0\/3 → 0\/3/)
    expect(prompt(7)).toContain('verdict: NO DIFFERENCE')
    // Then it tried to change what it is judged by: refused before it ran, and the operator is called.
    expect(state.escalation?.summary).toMatch(/only-the-candidate/)
    expect(readFileSync(join(state.workspace!, 'suite.yaml'), 'utf8')).toBe(suite)
  }, 150_000)
})
