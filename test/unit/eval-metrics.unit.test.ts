import { describe, expect, it } from 'vitest'
import { evaluate } from '../../src/main/core/eval/metrics'
import { EvalSuiteSchema, type EvalRunResult } from '../../src/shared/eval'

function result(name: string, reason: string | null, iterations: number, costUsd: number, violations = 0): EvalRunResult {
  const outcome = (reason ?? 'escalated') as EvalRunResult['outcome']
  return {
    name,
    repetition: 1,
    loopId: `loop-${name}`,
    outcome,
    expected: 'SUCCESS',
    passed: outcome === 'SUCCESS',
    reason,
    status: reason ? 'terminated' : 'escalated',
    detail: '',
    iterations,
    iterationsChecked: iterations,
    iterationsWithViolation: violations,
    inputTokens: 10 * iterations,
    outputTokens: iterations,
    costUsd
  }
}

const results = [result('a', 'SUCCESS', 3, 0.3), result('b', 'SUCCESS', 5, 0.5), result('c', null, 4, 0.4, 2), result('d', 'MAX_ITERATIONS', 8, 0.8)]

describe('eval metrics', () => {
  it('computes convergence rate, iterations to convergence, violation rate and cost per convergence', () => {
    const r = evaluate(results, { convergenceRate: 0.5 })
    expect(r.convergenceRate).toBe(0.5)
    expect(r.converged).toBe(2)
    expect(r.iterationsToConvergence).toEqual({ mean: 4, median: 4, max: 5 })
    expect(r.invariantViolationRate).toBeCloseTo(2 / 20)
    // All spend (2.0) over the two cases that converged.
    expect(r.costPerConvergence).toBeCloseTo(1.0)
    expect(r.totalTokens).toBe(20 * 11)
    expect(r.passed).toBe(true)
  })

  it('fails under each threshold and says which', () => {
    const r = evaluate(results, { convergenceRate: 0.75, maxInvariantViolationRate: 0.05, maxCostPerConvergence: 0.5, maxIterationsToConvergence: 3 })
    expect(r.passed).toBe(false)
    expect(r.failures).toEqual([
      'convergence rate 50.0% is under 75.0%',
      'invariant-violation rate 10.0% is over 5.0%',
      'cost per convergence $1.0000 is over $0.5',
      'mean iterations to convergence 4.0 is over 3'
    ])
  })

  it('handles a suite where nothing converged', () => {
    const r = evaluate([result('x', 'STALLED', 2, 0.1)], { maxCostPerConvergence: 1 })
    expect(r.costPerConvergence).toBeNull()
    expect(r.iterationsToConvergence).toBeNull()
    expect(r.failures).toEqual(['cost per convergence (none converged) is over $1'])
  })
})

describe('eval suite files', () => {
  it('reads a bare threshold as the minimum convergence rate and defaults to every run passing', () => {
    expect(EvalSuiteSchema.parse({ spec: 's.yaml', threshold: 0.8, cases: [{ name: 'a' }] }).threshold).toEqual({ convergenceRate: 0.8 })
    expect(EvalSuiteSchema.parse({ spec: 's.yaml', cases: [{ name: 'a' }] }).threshold).toEqual({ passRate: 1 })
  })

  it('the default threshold: a run that escalates as its case expects passes, one that escalates unexpectedly fails', () => {
    const { threshold } = EvalSuiteSchema.parse({ cases: [{ name: 'a' }] })
    const escalated = { ...result('stuck', null, 4, 0), outcome: 'escalated' as const, expected: 'escalated' as const, passed: true }
    expect(evaluate([result('ok', 'SUCCESS', 3, 0), escalated], threshold)).toMatchObject({ passed: true, passRate: 1, convergenceRate: 0.5 })
    expect(evaluate([result('ok', 'SUCCESS', 3, 0), result('stuck', null, 4, 0)], threshold)).toMatchObject({ passed: false, failures: ['pass rate 50.0% is under 100.0%'] })
  })

  it('refuses case files that leave the workspace and unknown keys', () => {
    expect(EvalSuiteSchema.safeParse({ spec: 's', cases: [{ name: 'a', files: { '../x': '' } }] }).success).toBe(false)
    expect(EvalSuiteSchema.safeParse({ spec: 's', cases: [{ name: 'a', fact: ['typo'] }] }).success).toBe(false)
  })
})

describe('eval suite format (version, start state, expectations, provenance, gate settings)', () => {
  it('an old suite still reads, with the new fields at their defaults', () => {
    const s = EvalSuiteSchema.parse({ spec: 's.yaml', cases: [{ name: 'a', facts: ['x'] }] })
    expect(s.version).toBe(1)
    expect(s.repetitions).toBeUndefined()
    expect(s.gate).toEqual({ confidence: 0.95, maxPassRateDrop: 0, seed: 1, resamples: 2000 })
    expect(s.cases[0]).toMatchObject({ facts: ['x'], memory: {}, expect: { outcome: 'SUCCESS' } })
  })

  it('reads a case saved from a run: start state, expected outcome, the operator words and where it came from', () => {
    const s = EvalSuiteSchema.parse({
      version: 3,
      cases: [
        {
          name: 'region hint',
          subgoal: 'set the region',
          memory: { tries: 2, seen: ['mars-1'] },
          expect: { outcome: 'escalated' },
          label: 'needs the operator',
          correction: 'ask for the region instead of guessing',
          from: { loopId: 'loop-1', savedAt: '2025-05-01T10:00:00Z', by: 'ana' }
        }
      ]
    })
    expect(s.version).toBe(3)
    expect(s.spec).toBeUndefined()
    expect(s.cases[0]).toMatchObject({ subgoal: 'set the region', memory: { tries: 2 }, expect: { outcome: 'escalated' }, from: { by: 'ana' } })
  })

  it('refuses an unknown expected outcome, a bad savedAt, a fractional version and out-of-range gate settings', () => {
    const bad = (suite: object) => EvalSuiteSchema.safeParse({ cases: [{ name: 'a' }], ...suite }).success
    expect(bad({ cases: [{ name: 'a', expect: { outcome: 'DONE' } }] })).toBe(false)
    expect(bad({ cases: [{ name: 'a', from: { loopId: 'l', savedAt: 'yesterday', by: 'ana' } }] })).toBe(false)
    expect(bad({ version: 1.5 })).toBe(false)
    expect(bad({ gate: { confidence: 1 } })).toBe(false)
    expect(bad({ gate: { maxPassRateDrop: -0.1 } })).toBe(false)
    expect(bad({ gate: { confidense: 0.9 } })).toBe(false)
    expect(bad({ repetitions: 0 })).toBe(false)
  })
})
