/**
 * The one table of invariants: every built-in check, policy failure and pre-call check has an
 * entry the engine, the packet and the screens read; a spec's own invariant gets one from its
 * severity. CEL expressions are evaluated with a time limit and fail closed.
 */
import { describe, expect, it } from 'vitest'
import { checkInvariants } from '../../src/main/core/invariants/builtin'
import { celContext, celProblem } from '../../src/main/core/invariants/cel/environment'
import { CelEvaluator } from '../../src/main/core/invariants/cel/evaluator'
import { checkCustomInvariants } from '../../src/main/core/invariants/custom'
import { BUILTIN_INVARIANTS, customInvariantDef, escalationFor, invariantDef, invariantForPolicyError } from '../../src/main/core/invariants/registry'
import type { PolicyErrorKind } from '../../src/main/core/policies/policy'
import { CustomInvariantSpec } from '../../src/shared/spec'
import { initialState, type LoopState } from '../../src/shared/state'
import { spec } from '../support/specs'

const s = spec({ policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] } })
const state = (over: Partial<LoopState> = {}): LoopState => ({ ...initialState('l'), spec: s, invariants: s.invariants, ...over })

describe('the invariant registry', () => {
  it('has an entry for every invariant the engine checks after an iteration', () => {
    const names = checkInvariants(state(), 0).map((r) => r.name)
    for (const name of names) expect(BUILTIN_INVARIANTS.map((d) => d.name)).toContain(name)
    // The remediation the engine records is the registry's.
    for (const r of checkInvariants(state(), 0)) expect(r.remediation).toBe(invariantDef(r.name).remediation)
  })

  it('says what each failure does and records on abort', () => {
    expect(invariantDef('iteration-cap')).toMatchObject({ onFail: 'terminate', abortReason: 'MAX_ITERATIONS' })
    expect(invariantDef('budget')).toMatchObject({ onFail: 'escalate', escalation: 'budget', abortReason: 'BUDGET_EXHAUSTED' })
    expect(invariantDef('no-looping').abortReason).toBe('STALLED')
    expect(invariantDef('tools-available')).toMatchObject({ escalation: 'error', abortReason: 'FATAL_ERROR' })
  })

  it('maps each policy failure kind to the invariant it is reported as', () => {
    const cases: [PolicyErrorKind, string][] = [
      ['malformed-response', 'valid-tool-call'],
      ['max-tokens', 'response-complete'],
      ['replay-divergence', 'replay-matches'],
      ['daily-budget', 'daily-budget'],
      ['timeout', 'policy-ok'],
      ['server', 'policy-ok']
    ]
    for (const [kind, name] of cases) expect(invariantForPolicyError(kind).name).toBe(name)
    expect(invariantForPolicyError('daily-budget').escalation).toBe('budget')
    expect(invariantForPolicyError('timeout').escalation).toBe('error')
  })

  it("gives a spec's own invariant the action of its severity, and a suggestion to only record it", () => {
    const c = CustomInvariantSpec.parse({ name: 'no-migrations', expr: 'true', severity: 'escalate' })
    expect(customInvariantDef(CustomInvariantSpec.parse({ ...c, severity: 'warn' })).onFail).toBe('record')
    expect(customInvariantDef(CustomInvariantSpec.parse({ ...c, severity: 'stop' })).onFail).toBe('terminate')
    const def = invariantDef('no-migrations', [c])
    expect(def).toMatchObject({ onFail: 'escalate', escalation: 'invariant', abortReason: 'FATAL_ERROR', remediation: c.remediation })
    expect(def.suggest!({ state: state() })).toEqual([
      { label: 'Only record "no-migrations" from now on (it keeps being checked)', ops: [{ op: 'setSeverity', name: 'no-migrations', severity: 'warn' }] }
    ])
  })

  it('a budget failure among several raises a budget escalation (its packet offers a raise)', () => {
    expect(escalationFor([invariantDef('progress'), invariantDef('budget')])).toBe('budget')
    expect(escalationFor([invariantDef('progress')])).toBe('invariant')
  })
})

describe('CEL', () => {
  it('type-checks against the variables Andon provides, with positions', () => {
    expect(celProblem('state.iteration > 2 && observation.ok && call.tool == "verify" && state.usage.costUsd < 0.5')).toBeNull()
    expect(celProblem('state.facts.exists(f, f.startsWith("region"))')).toBeNull()
    expect(celProblem('observation.exitcode == 0')).toEqual({ message: 'No such key: exitcode', line: 1, column: 13 })
    expect(celProblem('state.iteration > 2 &&\n  call.tool == 3')).toMatchObject({ line: 2, column: 3 })
  })

  it('ends an evaluation that outlives its time limit, fails it, and evaluates the next one afresh', async () => {
    const evaluator = new CelEvaluator(300)
    try {
      const facts = Array.from({ length: 400 }, (_, i) => `fact ${i}`)
      const context = celContext({ state: state({ facts }), call: null, observation: null, now: 0 })
      const started = Date.now()
      const [slow] = await evaluator.evaluate(['state.facts.all(a, state.facts.all(b, state.facts.all(c, a != "")))'], context)
      expect(slow).toEqual({ error: 'did not finish within 300 ms' })
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(await evaluator.evaluate(['state.facts.size() == 400', 'state.facts.size() == 1'], context)).toEqual([{ value: true }, { value: false }])
    } finally {
      await evaluator.close()
    }
  })

  it("fails a spec's own invariant closed when its expression cannot be evaluated", async () => {
    const custom = [CustomInvariantSpec.parse({ name: 'path-ok', when: 'before-call', expr: 'call.args.path != "migrations"' })]
    const st = state({ invariants: { ...s.invariants, custom } })
    const evaluator = new CelEvaluator()
    try {
      const { results: [missing], unevaluated } = await checkCustomInvariants('before-call', { state: st, call: { tool: 'verify', args: {} }, observation: null, now: 0 }, evaluator)
      expect([...unevaluated]).toEqual(['path-ok'])
      expect(missing).toMatchObject({ name: 'path-ok', ok: false, detail: 'could not be evaluated (No such key: path): call.args.path != "migrations"' })
      const {
        results: [fine]
      } = await checkCustomInvariants('before-call', { state: st, call: { tool: 'write_file', args: { path: 'src/a.ts' } }, observation: null, now: 0 }, evaluator)
      expect(fine).toMatchObject({ ok: true, detail: 'holds: call.args.path != "migrations"' })
      expect((await checkCustomInvariants('after-iteration', { state: st, call: null, observation: null, now: 0 }, evaluator)).results).toEqual([])
    } finally {
      await evaluator.close()
    }
  })
})
