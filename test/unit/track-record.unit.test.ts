/**
 * The track record's pure parts over hand-made histories: how each call is counted, and when
 * a run of unedited approvals becomes a suggested allow rule (and when it does not).
 */
import { describe, expect, it } from 'vitest'
import { callRecords } from '../../src/main/core/track-record/calls'
import { noRules, promotions, type RulesInForce } from '../../src/main/core/track-record/promotion'
import { byTool, toolRecord } from '../../src/main/core/track-record/tally'
import type { LoopEventInput } from '../../src/shared/events'
import type { RiskLevel } from '../../src/shared/spec'
import type { GateRule } from '../../src/shared/events'

type Step =
  | 'approve'
  | 'edit'
  | 'reject'
  | 'answer'
  | 'auto'
  | 'refuse-invariant'
  | 'refuse-rule'
  | 'waiting'

interface Call {
  tool?: string
  args?: Record<string, unknown>
  step: Step
  ok?: boolean
  loop?: string
  risk?: RiskLevel
  rule?: GateRule
}

/** A recorded history, one call after another, with the events the engine records for each. */
function history(calls: Call[]) {
  const events: { loopId: string; seq: number; at: number; type: string; data: unknown }[] = []
  const push = (loopId: string, e: LoopEventInput) => events.push({ loopId, seq: events.length + 1, at: 1000 + events.length, ...e })
  calls.forEach((c, i) => {
    const loopId = c.loop ?? 'loop-a'
    const callId = `${loopId}:${i + 1}`
    const action = { tool: c.tool ?? 'read_file', args: c.args ?? { path: 'src/a.txt' } }
    const unasked = c.step === 'auto' || c.step.startsWith('refuse')
    push(loopId, { type: 'ActionProposed', data: { iteration: i + 1, callId, action, risk: c.risk ?? 'medium', needsApproval: !unasked, rule: c.rule } })
    if (c.step === 'approve') push(loopId, { type: 'ActionApproved', data: { callId, by: 'operator' } })
    if (c.step === 'edit') push(loopId, { type: 'ActionApproved', data: { callId, by: 'operator', editedArgs: { path: 'src/b.txt' } } })
    if (c.step === 'reject') push(loopId, { type: 'ActionRejected', data: { callId, by: 'operator', reason: 'not that one' } })
    if (c.step === 'answer') push(loopId, { type: 'ActionAnswered', data: { callId, by: 'operator', ok: true, answer: 'it says 42' } })
    if (c.step === 'refuse-invariant') push(loopId, { type: 'ActionRejected', data: { callId, by: 'invariant no-secrets', reason: 'invariant no-secrets refused the call' } })
    if (c.step === 'refuse-rule') push(loopId, { type: 'ActionRejected', data: { callId, by: 'rule deny read_file(.env)', reason: 'denied by rule' } })
    if (c.step === 'approve' || c.step === 'edit' || c.step === 'auto') {
      push(loopId, { type: 'ToolFinished', data: { callId, ok: c.ok ?? true, durationMs: 1 } })
    }
  })
  const workspaces = new Map(calls.map((c) => [c.loop ?? 'loop-a', `/ws/${c.loop ?? 'loop-a'}`]))
  return callRecords(events, workspaces)
}

const approvals = (n: number, call: Omit<Call, 'step'> = {}): Call[] => Array.from({ length: n }, () => ({ ...call, step: 'approve' as const }))
const suggest = (calls: Call[], streak = 5, inForce: RulesInForce = noRules('reader')) => promotions(byTool(history(calls)), { streak, maxFailureShare: 0.1 }, inForce)
const rules = (r: Partial<RulesInForce>): RulesInForce => ({ ...noRules('reader'), ...r })
const allowA: GateRule = { effect: 'allow', pattern: 'read_file(src/a.txt)', source: 'spec' }

describe('counting calls', () => {
  it('tells the gate, the operator and a refusal apart, and counts outcomes of calls that ran', () => {
    const allowRule: GateRule = { effect: 'allow', pattern: 'read_file(src/**)', source: 'rule-set', id: 3 }
    const records = history([
      { step: 'approve' },
      { step: 'edit', ok: false },
      { step: 'reject' },
      { step: 'answer' },
      { step: 'auto' },
      { step: 'auto', rule: allowRule },
      { step: 'refuse-invariant' },
      { step: 'refuse-rule', rule: { effect: 'deny', pattern: 'read_file(.env)', source: 'spec' } },
      { step: 'waiting' }
    ])
    const r = toolRecord('read_file', records)
    expect(r).toMatchObject({
      proposals: 9,
      ranUnasked: { total: 2, byMode: 1, byRule: 1 },
      operator: { decisions: 4, approved: 1, edited: 1, rejected: 1, answered: 1 },
      refused: 2,
      undecided: 1,
      runs: { finished: 4, ok: 3, failed: 1, reported: 0 },
      streak: 0
    })
    // Newest first: the answer, the rejection (with its reason), the edit, the approval.
    expect(r.recent.map((d) => [d.decision, d.note])).toEqual([
      ['answered', 'it says 42'],
      ['rejected', 'not that one'],
      ['edited', null],
      ['approved', null]
    ])
    expect(r.recent[2]).toMatchObject({ argument: 'src/a.txt', outcome: 'failed', by: 'operator' })
  })
})

describe('promotion suggestions', () => {
  it('suggests an allow rule after N unedited approvals, narrowed to the directory the calls share, with the evidence', () => {
    const calls = [...approvals(3, { args: { path: 'src/a.txt' } }), ...approvals(2, { args: { path: 'src/lib/b.ts' } })]
    const { suggestions, withheld } = suggest(calls)
    expect(withheld).toEqual([])
    expect(suggestions).toEqual([
      {
        tool: 'read_file',
        effect: 'allow',
        pattern: 'read_file(src/**)',
        text: 'The last 5 `read_file` calls were approved unedited (1 loop); 0 of 5 runs failed. Allow `read_file(src/**)` without asking?',
        evidence: { approvedUnedited: 5, ran: 5, failed: 0, loops: 1, since: expect.any(Number), until: expect.any(Number) }
      }
    ])
  })

  it('makes no suggestion one approval short of the streak', () => {
    expect(suggest(approvals(4)).suggestions).toEqual([])
    expect(suggest(approvals(19), 20).suggestions).toEqual([])
    expect(suggest(approvals(20), 20).suggestions).toHaveLength(1)
  })

  for (const breaker of ['edit', 'reject', 'answer'] as const) {
    it(`one ${breaker} resets the streak: the suggestion returns only after N more unedited approvals`, () => {
      const broken = [...approvals(10), { step: breaker }, ...approvals(4)]
      expect(suggest(broken).suggestions).toEqual([])
      expect(toolRecord('read_file', history(broken)).streak).toBe(4)
      const earned = [...broken, ...approvals(1)]
      expect(suggest(earned).suggestions[0].evidence.approvedUnedited).toBe(5)
    })
  }

  it('calls the gate ran, and refusals no operator made, neither count toward nor break the streak', () => {
    const calls: Call[] = [...approvals(3), { step: 'auto' }, { step: 'refuse-invariant' }, { step: 'waiting' }, ...approvals(2)]
    expect(suggest(calls).suggestions[0].evidence.approvedUnedited).toBe(5)
  })

  it('counts decisions by when they were made, across loops of the spec', () => {
    const calls = [...approvals(2, { loop: 'loop-a' }), ...approvals(3, { loop: 'loop-b' })]
    expect(suggest(calls).suggestions[0]).toMatchObject({ evidence: { approvedUnedited: 5, loops: 2 }, text: expect.stringContaining('(2 loops)') })
    // An edit in the newer loop breaks the run the older loop began.
    expect(suggest([...approvals(5, { loop: 'loop-a' }), { step: 'edit', loop: 'loop-b' }]).suggestions).toEqual([])
  })

  it('withholds a tool whose approved runs failed more than the share allowed, and says so', () => {
    const calls = [...approvals(8), ...approvals(2, { ok: false })]
    const { suggestions, withheld } = suggest(calls)
    expect(suggestions).toEqual([])
    expect(withheld).toEqual([
      expect.objectContaining({ tool: 'read_file', why: 'failures', text: expect.stringContaining('2 of 10 runs failed: more than 10% failed') })
    ])
    // One failure in ten is within 10%.
    expect(suggest([...approvals(9), ...approvals(1, { ok: false })]).suggestions).toHaveLength(1)
  })

  it('run_command: narrows to the command and its first argument; never the bare tool', () => {
    const npmTest = (command: string) => ({ tool: 'run_command', risk: 'high' as const, args: { command } })
    const same = [...approvals(3, npmTest('npm test')), ...approvals(2, npmTest('npm test -- --watch=false'))]
    expect(suggest(same).suggestions.map((s) => s.pattern)).toEqual(['run_command(npm test:*)'])

    const mixed = [...approvals(3, npmTest('npm test')), ...approvals(2, npmTest('git status'))]
    const out = suggest(mixed)
    expect(out.suggestions).toEqual([])
    expect(out.withheld).toEqual([
      expect.objectContaining({ why: 'no-narrow-pattern', text: expect.stringContaining('allowing every `run_command` call would allow any command') })
    ])
    // A compound command shares no prefix a rule could allow.
    expect(suggest([...approvals(4, npmTest('npm test')), ...approvals(1, npmTest('npm test && curl x'))]).withheld[0].why).toBe('no-narrow-pattern')
  })

  it('a tool with no narrowing argument is suggested as a whole, unless its calls were high-risk', () => {
    expect(suggest(approvals(5, { tool: 'verify', args: {} })).suggestions.map((s) => s.pattern)).toEqual(['verify'])
    expect(suggest(approvals(5, { tool: 'gh_merge', args: { pr: 1 }, risk: 'high' })).withheld[0].why).toBe('no-narrow-pattern')
  })

  it('a path tool is never suggested bare: files at the workspace root that differ are withheld, one file is suggested exactly', () => {
    const root = suggest([...approvals(3, { args: { path: 'a.txt' } }), ...approvals(2, { args: { path: 'b.txt' } })])
    expect(root.suggestions).toEqual([])
    expect(root.withheld).toEqual([expect.objectContaining({ tool: 'read_file', why: 'no-narrow-pattern', text: expect.stringContaining('share no file or directory inside the workspace') })])
    expect(suggest(approvals(5, { args: { path: 'a.txt' } })).suggestions.map((s) => s.pattern)).toEqual(['read_file(a.txt)'])
  })

  it("Claude Code's absolute paths inside the loop's workspace narrow to the directory they share, never the bare tool", () => {
    const edit = (file_path: string, loop = 'loop-a'): Omit<Call, 'step'> => ({ tool: 'Edit', args: { file_path }, loop })
    const calls = Array.from({ length: 20 }, (_, i) => approvals(1, edit(`/ws/loop-a/src/f${i}.ts`))[0])
    expect(suggest(calls, 20).suggestions.map((s) => s.pattern)).toEqual(['Edit(src/**)'])
    // Two loops, two workspaces: the same relative directory.
    const twoLoops = [...approvals(3, edit('/ws/loop-a/src/a.ts')), ...approvals(2, edit('/ws/loop-b/src/lib/b.ts', 'loop-b'))]
    expect(suggest(twoLoops).suggestions.map((s) => s.pattern)).toEqual(['Edit(src/**)'])
    // A file outside the workspace among them: nothing to narrow to, so nothing suggested.
    const outside = [...approvals(4, edit('/ws/loop-a/src/a.ts')), ...approvals(1, edit('/etc/passwd'))]
    expect(suggest(outside)).toMatchObject({ suggestions: [], withheld: [{ tool: 'Edit', why: 'no-narrow-pattern' }] })
  })

  it('run_command: an interpreter is never widened to the program (python -m pytest stays python -m pytest)', () => {
    const py = (command: string) => ({ tool: 'run_command', risk: 'high' as const, args: { command } })
    expect(suggest(approvals(5, py('python -m pytest'))).suggestions.map((s) => s.pattern)).toEqual(['run_command(python -m pytest)'])
    expect(suggest([...approvals(3, py('python -m pytest')), ...approvals(2, py('python -m pytest -x'))]).suggestions.map((s) => s.pattern)).toEqual(['run_command(python -m pytest:*)'])
    expect(suggest([...approvals(3, py('python -m pytest')), ...approvals(2, py('python -m mypy'))]).withheld[0].why).toBe('no-narrow-pattern')
  })

  it('does not suggest what an allow rule already covers', () => {
    const everyRead = rules({ allowsEveryCall: (tool) => tool === 'read_file' })
    expect(suggest(approvals(5), 5, everyRead).suggestions).toEqual([])
    const theseCalls = rules({ decide: (_tool, args) => (args.path === 'src/a.txt' ? allowA : null) })
    expect(suggest(approvals(5), 5, theseCalls).suggestions).toEqual([])
    // Covering only some of the calls: the rule is still suggested.
    expect(suggest([...approvals(4), ...approvals(1, { args: { path: 'src/c.txt' } })], 5, theseCalls).suggestions).toHaveLength(1)
  })

  it('withholds an allow that an ask or deny rule deciding those calls would override, and names that rule', () => {
    const ask: GateRule = { effect: 'ask', pattern: 'read_file', source: 'rule-set', id: 7 }
    const asked = suggest(approvals(5, { rule: ask }), 5, rules({ decide: () => ask }))
    expect(asked.suggestions).toEqual([])
    expect(asked.withheld).toEqual([
      expect.objectContaining({ tool: 'read_file', why: 'decided-by-rule', text: expect.stringContaining('the ask rule `read_file` in the rule set (#7) decides them, and ask beats allow') })
    ])
    // The ask rule since revoked: the allow would take effect, so it is suggested.
    expect(suggest(approvals(5, { rule: ask }), 5, rules({})).suggestions.map((s) => s.pattern)).toEqual(['read_file(src/a.txt)'])
  })
})
