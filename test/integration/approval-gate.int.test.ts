/**
 * The approval gate through the real engine and a temp store: spec rules and the operator's
 * rule set (grown from the inbox, revoked), autonomy changed by a patch while the loop runs, and
 * a real suggest-only (nothing runs until the operator runs it; an answer reaches the policy).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { contract } from '../../src/shared/contract'
import type { StoredEvent } from '../../src/shared/events'
import type { LoopSpecInput } from '../../src/shared/spec'
import { spec } from '../support/specs'
import { tempAndon, tempDir, until } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
beforeEach(async () => {
  andon = await tempAndon()
})
afterEach(() => andon.cleanup())

type Rules = Extract<LoopSpecInput['policy'], { kind: 'rules' }>['rules']
const rulesSpec = (rules: Rules, extra: Partial<LoopSpecInput> = {}) =>
  spec({ policy: { kind: 'rules', rules }, invariants: { maxIterations: 10, sameActionLimit: 10, progressEvery: 10 }, termination: { verifyCommand: 'false' }, ...extra })

const cmd = (command: string) => ({ tool: 'run_command', args: { command } })
const proposed = (events: StoredEvent[]) => events.flatMap((e) => (e.type === 'ActionProposed' ? [e.data] : []))
const started = (events: StoredEvent[]) => events.flatMap((e) => (e.type === 'ToolStarted' ? [e.data.args.command ?? e.data.tool] : []))

/** The loop has stopped with a call waiting for the operator: that call. */
async function waiting(loopId: string) {
  await andon.supervisor.settled(loopId)
  const s = await until(() => {
    const st = andon.supervisor.liveState(loopId)
    return st.status === 'awaiting-approval' && st.pendingCall?.approved === null ? st : null
  }, 15_000, 'a waiting call')
  return s!.pendingCall!
}

describe('spec rules', () => {
  it('under approve-every-action an allowed command runs without asking while another waits', async () => {
    const s = rulesSpec(
      [
        { name: 'allowed', when: { start: true }, then: cmd('echo hi') },
        { name: 'other', when: { lastTool: 'run_command' }, then: cmd('touch other.txt') }
      ],
      { autonomy: 'approve-every-action', approvals: { allow: ['run_command(echo:*)'], ask: [], deny: [] } }
    )
    const loopId = await andon.supervisor.launch(s)
    const pending = await waiting(loopId)
    expect(pending.action).toEqual(cmd('touch other.txt'))
    const events = andon.store.readStream(loopId)
    expect(proposed(events).map((p) => [p.action.args.command, p.needsApproval, p.rule])).toEqual([
      ['echo hi', false, { effect: 'allow', pattern: 'run_command(echo:*)', source: 'spec' }],
      ['touch other.txt', true, undefined]
    ])
    expect(started(events)).toEqual(['echo hi'])
    expect(andon.store.iterationRows(loopId)[0]).toMatchObject({ approval: 'auto', rule: { effect: 'allow' } })
  })

  it('a deny refuses the call without running it, and the policy sees the reason (rejectionMatches)', async () => {
    const template = tempDir()
    writeFileSync(join(template, 'notes.txt'), 'the only copy\n')
    const s = rulesSpec(
      [
        { name: 'clean up', when: { start: true }, then: cmd('rm -f notes.txt') },
        { name: 'archive instead', when: { rejectionMatches: 'denied by the approval rule deny run_command\\(rm:\\*\\)' }, then: cmd('mv notes.txt notes.bak') },
        { name: 'check', when: { lastTool: 'run_command' }, then: { tool: 'verify', args: {} } }
      ],
      { autonomy: 'autonomous', workspace: template, approvals: { allow: ['run_command'], ask: [], deny: ['run_command(rm:*)'] }, termination: { verifyCommand: 'test -f notes.bak' } }
    )
    const loopId = await andon.supervisor.launch(s)
    await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 15_000, 'the loop to end')
    const events = andon.store.readStream(loopId)
    expect(events.find((e) => e.type === 'ActionRejected')).toMatchObject({
      data: { by: 'rule deny run_command(rm:*)', reason: 'denied by the approval rule deny run_command(rm:*) in the spec: the call was not run' }
    })
    expect(proposed(events)[0]).toMatchObject({ needsApproval: false, rule: { effect: 'deny', pattern: 'run_command(rm:*)', source: 'spec' } })
    expect(started(events)).toEqual(['mv notes.txt notes.bak', 'verify'])
    expect(events.find((e) => e.type === 'DecisionMade' && e.data.iteration === 2)).toMatchObject({ data: { rationale: 'rule "archive instead" matched' } })
    expect(andon.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
    rmSync(template, { recursive: true, force: true })
  })
  it('a command a deny rule cannot read waits for the operator, recorded with the rule and why, even under autonomous and an allow', async () => {
    const s = rulesSpec([{ name: 'piped', when: { start: true }, then: cmd('echo rm -rf notes | sh') }], {
      autonomy: 'autonomous',
      approvals: { allow: ['run_command'], ask: [], deny: ['run_command(rm:*)'] }
    })
    const loopId = await andon.supervisor.launch(s)
    const pending = await waiting(loopId)
    expect(pending.rule).toEqual({
      effect: 'ask',
      pattern: 'run_command(rm:*)',
      source: 'spec',
      reason: 'cannot tell whether deny run_command(rm:*) applies: sh reads its commands from a pipe or stdin'
    })
    expect(started(andon.store.readStream(loopId))).toEqual([])
  })
})

describe("the operator's rule set", () => {
  const steps: Rules = [
    { name: 'first', when: { start: true }, then: cmd('echo hi') },
    { name: 'second', when: { outputMatches: '^hi' }, then: cmd('echo there') },
    { name: 'gate', when: { outputMatches: '^there' }, then: cmd('touch gate.txt') },
    { name: 'last', when: { lastTool: 'run_command' }, then: cmd('echo bye') }
  ]

  it('"always allow this" applies to the next call and to new loops of the spec, not to another spec; revoking it makes the next call ask again', async () => {
    const mine = rulesSpec(steps, { name: 'mine', autonomy: 'approve-every-action' })
    const loopId = await andon.supervisor.launch(mine)
    const first = await waiting(loopId)
    await andon.handlers.decideApproval({
      loopId,
      callId: first.callId,
      decision: 'approve',
      reason: '',
      remember: { pattern: 'run_command(echo:*)', scope: { spec: 'mine' } }
    })
    // `echo there` ran by the new rule; `touch gate.txt` is not covered and waits.
    const gate = await waiting(loopId)
    expect(gate.action).toEqual(cmd('touch gate.txt'))
    let events = andon.store.readStream(loopId)
    expect(events.find((e) => e.type === 'ActionApproved')).toMatchObject({ data: { by: 'operator; always allow run_command(echo:*) (spec mine)' } })
    const [rule] = await andon.handlers.listApprovalRules({ specName: 'mine', includeRevoked: false })
    expect(rule).toMatchObject({ effect: 'allow', pattern: 'run_command(echo:*)', scope: { spec: 'mine' }, from: { loopId, callId: first.callId }, revoked: null })
    expect(proposed(events)[1]).toMatchObject({ needsApproval: false, rule: { effect: 'allow', source: 'rule-set', id: rule.id } })

    // A new loop of the same spec runs `echo hi` without asking; a loop of another spec asks.
    const again = await andon.supervisor.launch(mine)
    expect((await waiting(again)).action).toEqual(cmd('touch gate.txt'))
    const other = await andon.supervisor.launch(rulesSpec(steps, { name: 'other', autonomy: 'approve-every-action' }))
    expect((await waiting(other)).action).toEqual(cmd('echo hi'))

    // Revoked while the first loop waits: its next `echo` asks again.
    await andon.handlers.revokeApprovalRule({ id: rule.id, why: 'too broad' })
    expect(() => andon.handlers.revokeApprovalRule({ id: rule.id, why: 'again' })).toThrow(`approval rule #${rule.id} was already revoked by operator (too broad)`)
    await andon.handlers.decideApproval({ loopId, callId: gate.callId, decision: 'approve', reason: '' })
    const bye = await waiting(loopId)
    expect(bye.action).toEqual(cmd('echo bye'))
    events = andon.store.readStream(loopId)
    expect(proposed(events).at(-1)).toMatchObject({ needsApproval: true })
    expect(proposed(events).at(-1)!.rule).toBeUndefined()
    // Revoked rules stay listed.
    expect(await andon.handlers.listApprovalRules({ includeRevoked: false })).toEqual([])
    expect(await andon.handlers.listApprovalRules({ includeRevoked: true })).toMatchObject([{ id: rule.id, revoked: { by: 'operator', why: 'too broad' } }])
  })

  it('"always deny this" rejects the call with the rule named, and refuses the same call in the next loop without asking', async () => {
    const s = rulesSpec(steps, { name: 'denying', autonomy: 'approve-every-action' })
    const loopId = await andon.supervisor.launch(s)
    const first = await waiting(loopId)
    await andon.handlers.decideApproval({ loopId, callId: first.callId, decision: 'reject', reason: 'no echo here', remember: { pattern: 'run_command(echo hi)', scope: 'all' } })
    expect(andon.store.readStream(loopId).find((e) => e.type === 'ActionRejected')).toMatchObject({
      data: { by: 'operator', reason: 'no echo here; always deny run_command(echo hi) (every loop)' }
    })
    const next = await andon.supervisor.launch(rulesSpec(steps, { name: 'elsewhere', autonomy: 'approve-every-action' }))
    await andon.supervisor.settled(next)
    const events = andon.store.readStream(next)
    expect(events.find((e) => e.type === 'ActionRejected')).toMatchObject({ data: { by: 'rule deny run_command(echo hi)' } })
    expect(started(events)).toEqual([])
  })

  it('a bad pattern is refused with a clear message, and nothing is recorded', async () => {
    const parsed = contract.addApprovalRule.input.safeParse({ effect: 'allow', pattern: 'run_command(npm test', scope: 'all', why: '' })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues[0].message).toMatch(/approval rule "run_command\(npm test": an argument pattern ends with "\)"/)
    expect(() => andon.supervisor.approvalRules.add({ effect: 'allow', pattern: 'run_command(', scope: 'all', by: 'x', why: '', at: 0 })).toThrow(/argument pattern/)
    expect(await andon.handlers.listApprovalRules({ includeRevoked: true })).toEqual([])
  })
})

describe('autonomy as recorded state', () => {
  it('a setAutonomy patch recorded while the loop runs gates the next call; other patches still wait for a stop', async () => {
    const s = rulesSpec(
      [
        { name: 'slow', when: { start: true }, then: cmd('sleep 1') },
        { name: 'next', when: { lastTool: 'run_command' }, then: cmd('touch after.txt') }
      ],
      { autonomy: 'autonomous' }
    )
    const loopId = await andon.supervisor.launch(s)
    await until(() => andon.supervisor.liveState(loopId).openCall !== null, 10_000, 'the slow call to start')
    await expect(andon.handlers.patchState({ loopId, patch: { ops: [{ op: 'addFact', fact: 'x' }] }, why: '' })).rejects.toThrow(/patches apply to a stopped loop/)
    const patched = await andon.handlers.patchState({ loopId, patch: { ops: [{ op: 'setAutonomy', mode: 'approve-every-action' }] }, why: 'watch it now' })
    expect(patched.autonomy).toBe('approve-every-action')
    const pending = await waiting(loopId)
    expect(pending.action).toEqual(cmd('touch after.txt'))
    const events = andon.store.readStream(loopId)
    const types = events.map((e) => e.type)
    // Recorded while `sleep 1` ran, between its start and its finish.
    expect(types.indexOf('StatePatched')).toBeGreaterThan(types.indexOf('ToolStarted'))
    expect(types.indexOf('StatePatched')).toBeLessThan(types.indexOf('ToolFinished'))
    expect(events.find((e) => e.type === 'StatePatched')).toMatchObject({ data: { why: 'watch it now', patch: { ops: [{ op: 'setAutonomy', mode: 'approve-every-action' }] } } })
    expect(proposed(events).map((p) => p.needsApproval)).toEqual([false, true])
    expect((await andon.handlers.getLoop({ loopId })).summary.autonomy).toBe('approve-every-action')
    expect(existsSync(join(andon.supervisor.liveState(loopId).workspace!, 'after.txt'))).toBe(false)

    // Back to autonomous: the waiting call keeps waiting (it was gated when proposed).
    await andon.handlers.patchState({ loopId, patch: { ops: [{ op: 'setAutonomy', mode: 'autonomous' }] }, why: '' })
    expect(andon.supervisor.liveState(loopId)).toMatchObject({ status: 'awaiting-approval', autonomy: 'autonomous' })
  })
})

describe('autonomy changed as the call is proposed', () => {
  it('a setAutonomy patch being recorded while the policy decides gates the call it decides', async () => {
    const rules = [{ name: 'go', when: { start: true }, then: cmd('touch ran.txt') }]
    // A policy that thinks for a moment: the iteration's start is written before its decision.
    const s = rulesSpec(rules, { autonomy: 'autonomous', policy: { kind: 'rules', rules, delayMs: 100 } })
    const loopId = await andon.supervisor.launch(s, { start: false })
    // The operator's patch is sent as the iteration starts and takes a while to commit: the policy
    // decides from the state before it, and the call is gated only after it is recorded.
    const append = andon.store.append.bind(andon.store)
    let patch: Promise<unknown> | null = null
    andon.store.append = (id, events, expected) => {
      if (id === loopId && !patch && events.some((e) => e.type === 'IterationStarted')) {
        patch = Promise.resolve(andon.handlers.patchState({ loopId, patch: { ops: [{ op: 'setAutonomy', mode: 'approve-every-action' }] }, why: 'watch it' }))
      }
      if (id === loopId && events.some((e) => e.type === 'StatePatched')) {
        return new Promise((r) => setTimeout(r, 200)).then(() => append(id, events, expected))
      }
      return append(id, events, expected)
    }
    await andon.supervisor.resume(loopId)
    const pending = await waiting(loopId)
    await patch
    expect(pending.action).toEqual(cmd('touch ran.txt'))
    const events = andon.store.readStream(loopId)
    const types = events.map((e) => e.type)
    expect(types.indexOf('StatePatched')).toBeGreaterThan(types.indexOf('IterationStarted'))
    expect(types.indexOf('StatePatched')).toBeLessThan(types.indexOf('ActionProposed'))
    expect(proposed(events)).toMatchObject([{ needsApproval: true }])
    expect(started(events)).toEqual([])
    expect(existsSync(join(andon.supervisor.liveState(loopId).workspace!, 'ran.txt'))).toBe(false)
  })

  it('an autonomy-only patch is taken whatever version the operator saw; any other patch still checks it', async () => {
    const s = rulesSpec([{ name: 'go', when: { start: true }, then: cmd('echo hi') }], { autonomy: 'approve-every-action' })
    const loopId = await andon.supervisor.launch(s)
    await waiting(loopId)
    const stale = andon.supervisor.liveState(loopId).version - 2
    const patched = await andon.handlers.patchState({ loopId, patch: { ops: [{ op: 'setAutonomy', mode: 'autonomous' }] }, why: '', expectedVersion: stale })
    expect(patched.autonomy).toBe('autonomous')
    await expect(andon.handlers.patchState({ loopId, patch: { ops: [{ op: 'addFact', fact: 'x' }] }, why: '', expectedVersion: stale })).rejects.toThrow(/the loop changed since you looked/)
    await expect(
      andon.handlers.patchState({ loopId, patch: { ops: [{ op: 'setAutonomy', mode: 'suggest-only' }, { op: 'addFact', fact: 'x' }] }, why: '', expectedVersion: stale })
    ).rejects.toThrow(/the loop changed since you looked/)
  })
})

describe('suggest-only', () => {
  it('nothing runs until the operator runs it; an answer is what the policy sees next; an answered verify is not SUCCESS', async () => {
    const s = rulesSpec(
      [
        { name: 'write', when: { start: true }, then: { tool: 'write_file', args: { path: 'notes.txt', content: 'hello\n' } } },
        { name: 'answered', when: { outputMatches: 'it is already deployed' }, then: { tool: 'verify', args: {} } },
        { name: 'deploy', when: { lastTool: 'write_file' }, then: cmd('touch deployed.txt') },
        { name: 'again', when: { lastTool: 'verify' }, then: cmd('touch deployed.txt') }
      ],
      { autonomy: 'suggest-only', termination: { verifyCommand: 'false' } }
    )
    const loopId = await andon.supervisor.launch(s)
    const write = await waiting(loopId)
    const workspace = andon.supervisor.liveState(loopId).workspace!
    let events = andon.store.readStream(loopId)
    expect(proposed(events)).toMatchObject([{ suggestion: true, needsApproval: true }])
    expect(events.some((e) => e.type === 'ToolStarted')).toBe(false)
    expect(existsSync(join(workspace, 'notes.txt'))).toBe(false)
    expect(andon.supervisor.inbox()).toMatchObject([{ kind: 'approval', suggestion: true, callId: write.callId }])

    // Run it, edited.
    await andon.handlers.decideApproval({ loopId, callId: write.callId, decision: 'approve', editedArgs: { path: 'notes.txt', content: 'edited\n' }, reason: '' })
    const deploy = await waiting(loopId)
    expect(readFileSync(join(workspace, 'notes.txt'), 'utf8')).toBe('edited\n')
    expect(deploy.action).toEqual(cmd('touch deployed.txt'))

    // Answer it: the rules policy's outputMatches sees the answer, nothing ran.
    const { version } = andon.supervisor.liveState(loopId)
    await expect(andon.handlers.answerCall({ loopId, callId: deploy.callId, ok: true, answer: 'x', expectedVersion: version - 1 })).rejects.toThrow(/the loop changed since you looked/)
    await andon.handlers.answerCall({ loopId, callId: deploy.callId, ok: true, answer: 'it is already deployed', expectedVersion: version })
    const verify = await waiting(loopId)
    expect(verify.action).toEqual({ tool: 'verify', args: {} })
    expect(existsSync(join(workspace, 'deployed.txt'))).toBe(false)
    events = andon.store.readStream(loopId)
    expect(events.find((e) => e.type === 'ActionAnswered')).toMatchObject({ data: { callId: deploy.callId, by: 'operator', ok: true, answer: 'it is already deployed' } })
    expect(events.find((e) => e.type === 'Observed' && e.data.observation.resolvedBy)).toMatchObject({
      data: { observation: { tool: 'run_command', ok: true, excerpt: 'it is already deployed', resolvedBy: 'operator' } }
    })
    expect(events.find((e) => e.type === 'DecisionMade' && e.data.iteration === 3)).toMatchObject({ data: { rationale: 'rule "answered" matched' } })
    expect(andon.store.iterationRows(loopId)[1]).toMatchObject({ approval: 'answered', result: { ok: true } })

    // Answering the success tool "passed" is the operator's word, never SUCCESS.
    await andon.handlers.answerCall({ loopId, callId: verify.callId, ok: true, answer: 'it passes' })
    await waiting(loopId)
    expect(andon.supervisor.liveState(loopId).termination).toBeNull()
    // Only the call the operator ran ever started.
    expect(started(andon.store.readStream(loopId))).toEqual(['write_file'])
  })

  it('under a CEL termination.success, an answered verify is still not SUCCESS; the same verify run is', async () => {
    const s = rulesSpec(
      [
        { name: 'check', when: { start: true }, then: { tool: 'verify', args: {} } },
        { name: 'again', when: { lastTool: 'verify' }, then: { tool: 'verify', args: {} } }
      ],
      { autonomy: 'suggest-only', termination: { verifyCommand: 'true', success: 'observation.tool == "verify" && observation.ok' } }
    )
    const loopId = await andon.supervisor.launch(s)
    const answered = await waiting(loopId)
    await andon.handlers.answerCall({ loopId, callId: answered.callId, ok: true, answer: 'it passes, trust me' })
    const ran = await waiting(loopId)
    expect(andon.supervisor.liveState(loopId).termination).toBeNull()
    expect(ran.iteration).toBe(2)
    // Run by the operator, the verify's own pass is SUCCESS.
    await andon.handlers.decideApproval({ loopId, callId: ran.callId, decision: 'approve', reason: '' })
    await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 15_000, 'the loop to end')
    expect(andon.supervisor.liveState(loopId).termination).toMatchObject({ reason: 'SUCCESS', detail: 'termination.success held at iteration 2' })
  })

  it('an allow rule graduates a tool out of suggest-only; an ask rule still asks', async () => {
    const s = rulesSpec(
      [
        { name: 'read', when: { start: true }, then: { tool: 'read_file', args: { path: 'a.txt' } } },
        { name: 'write', when: { lastTool: 'read_file' }, then: { tool: 'write_file', args: { path: 'a.txt', content: 'x' } } }
      ],
      { autonomy: 'suggest-only', approvals: { allow: ['read_file'], ask: ['write_file'], deny: [] } }
    )
    const loopId = await andon.supervisor.launch(s)
    const pending = await waiting(loopId)
    expect(pending).toMatchObject({ action: { tool: 'write_file' }, suggestion: false, rule: { effect: 'ask', pattern: 'write_file' } })
    expect(proposed(andon.store.readStream(loopId)).map((p) => [p.action.tool, p.needsApproval, p.suggestion, p.rule?.effect])).toEqual([
      ['read_file', false, undefined, 'allow'],
      ['write_file', true, undefined, 'ask']
    ])
  })
})
