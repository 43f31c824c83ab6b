import { describe, expect, it } from 'vitest'
import { compareRuns, type GateRun } from '../../src/main/core/eval/gate'
import { parseSuite } from '../../src/main/core/eval/suite'
import { decideVerdict } from '../../src/main/core/eval/verdict'
import type { GateSide, MetricDifference, PassRateDifference } from '../../src/shared/eval'

const flat = (baseline: number, candidate: number): MetricDifference => ({ baseline, candidate, difference: candidate - baseline, interval: [candidate - baseline, candidate - baseline] })
const rate = (baseline: number, candidate: number, pWorse: number, pBetter: number): PassRateDifference => ({ ...flat(baseline, candidate), pWorse, pBetter })
const settings = { confidence: 0.95, maxPassRateDrop: 0 }

describe('the gate verdict', () => {
  it('worse: a drop the exact test says is unlikely by chance', () => {
    const v = decideVerdict({ passRate: rate(1, 0.5, 0.001, 1), iterations: flat(3, 3), costUsd: flat(0, 0), settings })
    expect(v.verdict).toBe('worse')
    expect(v.reasons[0]).toMatch(/^pass rate 100\.0% → 50\.0% \(−50\.0 points, 95% interval −50\.0 to −50\.0\): a drop this large happens by chance with p = 0\.001 < 0\.05$/)
  })

  it('no difference: the same drop at a higher confidence than the evidence gives', () => {
    const v = decideVerdict({ passRate: rate(1, 0.8, 0.03, 1), iterations: flat(3, 3), costUsd: flat(0, 0), settings: { ...settings, confidence: 0.99 } })
    expect(v.verdict).toBe('no difference')
    expect(v.reasons[0]).toMatch(/cannot tell at 99% \(by chance: worse p = 0\.03, better p = 1\)/)
  })

  it('a real drop within maxPassRateDrop is tolerated, and said', () => {
    const v = decideVerdict({ passRate: rate(1, 0.9, 0.01, 1), iterations: flat(3, 3), costUsd: flat(0, 0), settings: { ...settings, maxPassRateDrop: 0.1 } })
    expect(v).toEqual({ verdict: 'no difference', reasons: [expect.stringMatching(/a real drop, but within the allowed 10\.0%$/)] })
  })

  it('better: a gain unlikely by chance', () => {
    expect(decideVerdict({ passRate: rate(0.5, 1, 1, 0.002), iterations: flat(3, 3), costUsd: flat(0, 0), settings }).verdict).toBe('better')
  })

  it('cost and iterations make it worse only past a limit the suite sets, with the whole interval beyond it', () => {
    const costly = { passRate: rate(1, 1, 1, 1), iterations: { baseline: 3, candidate: 6, difference: 3, interval: [2, 4] as [number, number] }, costUsd: { baseline: 0.1, candidate: 0.3, difference: 0.2, interval: [0.15, 0.25] as [number, number] } }
    expect(decideVerdict({ ...costly, settings }).verdict).toBe('no difference')
    const cost = decideVerdict({ ...costly, settings: { ...settings, maxCostIncrease: 0.1 } })
    expect(cost.verdict).toBe('worse')
    expect(cost.reasons[0]).toMatch(/^cost per run \$0\.1000 → \$0\.3000: at least \$0\.1500 more \(95% interval\), over the allowed \$0\.1$/)
    expect(decideVerdict({ ...costly, settings: { ...settings, maxCostIncrease: 0.2 } }).verdict).toBe('no difference')
    expect(decideVerdict({ ...costly, settings: { ...settings, maxIterationsIncrease: 1 } }).verdict).toBe('worse')
    expect(decideVerdict({ ...costly, settings: { ...settings, maxIterationsIncrease: 2 } }).verdict).toBe('no difference')
  })

  it('a better pass rate does not outweigh a cost over the limit', () => {
    const v = decideVerdict({ passRate: rate(0.5, 1, 1, 0.001), iterations: flat(3, 3), costUsd: { baseline: 0, candidate: 1, difference: 1, interval: [0.9, 1.1] }, settings: { ...settings, maxCostIncrease: 0.5 } })
    expect(v.verdict).toBe('worse')
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

  it('refuses to compare a case with no runs on one side', () => {
    expect(() => compareRuns({ ...input, runs: runs.filter((x) => !(x.name === 'b' && x.side === 'candidate')) })).toThrow(/case b has no runs on one side/)
  })
})
