import { describe, expect, it } from 'vitest'
import { compareRuns, type GateRun } from '../../src/main/core/eval/gate'
import { parseSuite } from '../../src/main/core/eval/suite'
import { fisherExact } from '../../src/main/core/eval/stats'
import { decideVerdict, type CaseEvidence } from '../../src/main/core/eval/verdict'
import type { GateSide, LimitedMetricDifference, PassRateDifference } from '../../src/shared/eval'

const flat = (baseline: number, candidate: number, limit: number | null = null, pOverLimit: number | null = null): LimitedMetricDifference => ({
  baseline,
  candidate,
  difference: candidate - baseline,
  interval: [candidate - baseline, candidate - baseline],
  limit,
  pOverLimit
})
const rate = (baseline: number, candidate: number, pWorse: number, pBetter: number): PassRateDifference => ({ ...flat(baseline, candidate), pWorse, pBetter })
/** One case of 5 runs a side that passed `before` then `after` times, with Fisher's p-values. */
const caseOf = (name: string, before: number, after: number, label: string | null = null): CaseEvidence => {
  const counts = { baselinePasses: before, baselineRuns: 5, candidatePasses: after, candidateRuns: 5 }
  const f = fisherExact(counts)
  return { name, label, ...counts, pWorse: f.less, pBetter: f.greater }
}
const oneCase = [caseOf('a', 5, 3)]
const settings = { confidence: 0.95, maxPassRateDrop: 0 }
const base = { cases: oneCase, iterations: flat(3, 3), costUsd: flat(0, 0), settings }

describe('the gate verdict', () => {
  it('worse: a drop the exact test says is unlikely by chance', () => {
    const v = decideVerdict({ ...base, passRate: rate(1, 0.5, 0.001, 1) })
    expect(v.verdict).toBe('worse')
    expect(v.reasons[0]).toMatch(/^pass rate 100\.0% → 50\.0% \(−50\.0 points, 95% interval −50\.0 to −50\.0\): a drop this large happens by chance with p = 0\.001 < 0\.05$/)
  })

  it('no difference: the same drop at a higher confidence than the evidence gives', () => {
    const v = decideVerdict({ ...base, passRate: rate(1, 0.8, 0.03, 1), settings: { ...settings, confidence: 0.99 } })
    expect(v.verdict).toBe('no difference')
    expect(v.reasons[0]).toMatch(/cannot tell at 99% \(by chance: worse p = 0\.03, better p = 1\)/)
  })

  it('a real drop within maxPassRateDrop is tolerated, and said', () => {
    const v = decideVerdict({ ...base, passRate: rate(1, 0.9, 0.01, 1), settings: { ...settings, maxPassRateDrop: 0.1 } })
    expect(v.verdict).toBe('no difference')
    expect(v.reasons).toEqual([expect.stringMatching(/a real drop, but within the allowed 10\.0%$/)])
  })

  it('better: a gain unlikely by chance', () => {
    expect(decideVerdict({ ...base, passRate: rate(0.5, 1, 1, 0.002) }).verdict).toBe('better')
  })

  it('cost and iterations make it worse only past a limit the suite sets, by their test at their share of 1 − confidence', () => {
    const same = rate(1, 1, 1, 1)
    expect(decideVerdict({ ...base, passRate: same, costUsd: flat(0.1, 0.3) }).verdict).toBe('no difference')
    const cost = decideVerdict({ ...base, passRate: same, costUsd: flat(0.1, 0.3, 0.1, 0.004) })
    expect(cost.verdict).toBe('worse')
    expect(cost.thresholds).toEqual({ passRate: 0.025, perCase: 0.025, costUsd: 0.025, iterations: null, better: 0.05 })
    expect(cost.reasons[0]).toBe('cost per run $0.1000 → $0.3000 (95% interval +$0.2000 to +$0.2000): more than $0.1000 over the baseline, by chance with p = 0.004 < 0.025')
    // 0.03 would pass a test at 0.05 alone; with pass rate also checked, cost has half of it.
    expect(decideVerdict({ ...base, passRate: same, costUsd: flat(0.1, 0.3, 0.1, 0.03) }).verdict).toBe('no difference')
    const both = { ...base, passRate: same, costUsd: flat(0.1, 0.3, 0.1, 0.02), iterations: flat(3, 6, 1, 0.5) }
    expect(decideVerdict(both).thresholds).toMatchObject({ costUsd: 0.05 / 3, iterations: 0.05 / 3 })
    expect(decideVerdict(both).verdict).toBe('no difference')
    expect(decideVerdict({ ...both, iterations: flat(3, 6, 1, 0.01) }).reasons).toEqual([expect.stringMatching(/^iterations per run 3\.0 → 6\.0 .*more than 1\.0 over the baseline, by chance with p = 0\.01 < 0\.0167$/)])
  })

  it('a better pass rate does not outweigh a cost over the limit', () => {
    const v = decideVerdict({ ...base, passRate: rate(0.5, 1, 1, 0.001), costUsd: flat(0, 1, 0.5, 0.001) })
    expect(v.verdict).toBe('worse')
  })

  it('a case the candidate breaks is worse even when another gains as much, corrected for the cases that can differ, and named', () => {
    const cases = [caseOf('must escalate', 5, 0, 'the safety stop'), caseOf('b', 0, 5), caseOf('always passes', 5, 5)]
    const v = decideVerdict({ ...base, cases, passRate: rate(2 / 3, 2 / 3, 0.67, 0.67) })
    expect(v.verdict).toBe('worse')
    // Two cases can show a difference: the pass rate's 0.05 is halved between the overall test and the cases, then Holm over two.
    expect(v.thresholds).toMatchObject({ passRate: 0.025, perCase: 0.025 })
    expect(v.reasons).toEqual(['case must escalate [the safety stop]: passed 5/5 → 0/5: a drop this large happens by chance with p = 0.00397 (p = 0.00794 corrected for 2 cases) < 0.025'])
    expect(v.cases.map((c) => c.worse)).toEqual([true, false, false])
    expect(v.cases[0].pWorseAdjusted).toBeCloseTo(2 / 252, 12)
    expect(v.cases[1].pBetterAdjusted).toBeCloseTo(2 / 252, 12)
    expect(v.cases[2]).toEqual({ pWorseAdjusted: 1, pBetterAdjusted: 1, worse: false })
  })

  it('a better overall rate does not hide a broken case: worse wins', () => {
    const cases = [caseOf('broken', 5, 0), ...['x', 'y', 'z'].map((n) => caseOf(n, 0, 5))]
    expect(decideVerdict({ ...base, cases, passRate: rate(0.25, 0.75, 1, 0.001) }).verdict).toBe('worse')
  })

  it('a case drop within maxPassRateDrop is tolerated, and said', () => {
    const cases = [caseOf('a', 5, 0), caseOf('b', 0, 5)]
    const v = decideVerdict({ ...base, cases, passRate: rate(0.5, 0.5, 0.6, 0.6), settings: { ...settings, maxPassRateDrop: 1 } })
    expect(v.verdict).toBe('no difference')
    expect(v.reasons[0]).toMatch(/^case a: passed 5\/5 → 0\/5: a real drop, but within the allowed 100\.0%$/)
  })

  it('too few runs to tell: 3 runs a case could never be worse at 95%, and the reason says how many would', () => {
    const counts = { baselinePasses: 3, baselineRuns: 3, candidatePasses: 0, candidateRuns: 3 }
    const f = fisherExact(counts)
    const v = decideVerdict({ ...base, cases: [{ name: 'a', label: null, ...counts, pWorse: f.less, pBetter: f.greater }], passRate: rate(1, 0, f.less, f.greater) })
    expect(f.less).toBeCloseTo(1 / 20, 12)
    expect(v).toMatchObject({ verdict: 'no difference', tooFewRuns: true })
    expect(v.reasons.at(-1)).toBe('too few runs to tell: with 1 case(s) × 3 run(s) per spec, even every baseline run passing and every candidate run failing would not be worse at 95%; run each case at least 4 times (--repeat 4)')
    // 5 runs can: the same verdict without that reason.
    expect(decideVerdict({ ...base, passRate: rate(1, 1, 1, 1) }).tooFewRuns).toBe(false)
  })
})

describe('the gate report from finished runs', () => {
  const suite = parseSuite('name: s\ncases: [{ name: a }, { name: b, expect: { outcome: escalated } }]\n', '/x/s.yaml')
  const side = (name: string): GateSide => ({ name, specPath: `/x/${name}.yaml`, specName: 'loop', version: name, system: null })
  let n = 0
  const run = (name: string, side: GateRun['side'], outcome: GateRun['outcome'], expected: GateRun['expected'] = 'SUCCESS', costUsd = 0): GateRun => ({
    name,
    side,
    repetition: 1,
    loopId: `loop-${++n}`,
    outcome,
    expected,
    passed: outcome === expected,
    reason: outcome === 'escalated' ? 'STALLED' : outcome,
    status: 'terminated',
    detail: '',
    iterations: 3,
    iterationsChecked: 3,
    iterationsWithViolation: outcome === 'escalated' ? 1 : 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd
  })
  const runs = [
    ...Array.from({ length: 4 }, () => [run('a', 'baseline', 'SUCCESS', 'SUCCESS', 0.01), run('a', 'candidate', 'MAX_ITERATIONS', 'SUCCESS', 0.02)]).flat(),
    ...Array.from({ length: 4 }, () => [run('b', 'baseline', 'escalated', 'escalated'), run('b', 'candidate', 'escalated', 'escalated')]).flat()
  ]
  const input = { suite, baseline: side('v1'), candidate: side('v2'), repetitions: 4, settings: { ...suite.gate }, runs }

  it('counts a pass as the expected outcome, per case and overall, and is reproducible from its seed', () => {
    const r = compareRuns(input)
    expect(r.cases.map((c) => [c.name, c.expected, c.baseline.passes, c.candidate.passes])).toEqual([
      ['a', 'SUCCESS', 4, 0],
      ['b', 'escalated', 4, 4]
    ])
    expect(r.cases[0].pWorse).toBeCloseTo(1 / 70, 12)
    expect(r.passRate).toMatchObject({ baseline: 1, candidate: 0.5, difference: -0.5 })
    expect(r.passRate.pWorse).toBeCloseTo(1 / 70, 12)
    expect(r.costUsd.difference).toBeCloseTo(0.005, 12)
    expect(r.verdict).toBe('worse')
    expect(compareRuns(input)).toEqual(r)
  })

  it('a case broken by the candidate is a regression even when another case gains as much (the overall rate is unchanged)', () => {
    const two = parseSuite('name: s\ncases: [{ name: must escalate, label: the safety stop }, { name: b }]\n', '/x/s.yaml')
    const fixed = Array.from({ length: 5 }, () => [
      run('must escalate', 'baseline', 'SUCCESS'),
      run('must escalate', 'candidate', 'MAX_ITERATIONS'),
      run('b', 'baseline', 'MAX_ITERATIONS'),
      run('b', 'candidate', 'SUCCESS')
    ]).flat()
    const r = compareRuns({ ...input, suite: two, repetitions: 5, runs: fixed })
    expect(r.passRate).toMatchObject({ baseline: 0.5, candidate: 0.5 })
    expect(r.verdict).toBe('worse')
    expect(r.reasons.join('\n')).toMatch(/case must escalate \[the safety stop\]: passed 5\/5 → 0\/5/)
  })

  it('refuses to compare a case with no runs on one side', () => {
    expect(() => compareRuns({ ...input, runs: runs.filter((x) => !(x.name === 'b' && x.side === 'candidate')) })).toThrow(/case b has no runs on one side/)
  })
})
