/**
 * The gate report's shared formatters (the CLI's CI log and the Evals screen both use them): a
 * case's test is given with its Holm-corrected p, which is the one its mark uses; the limit tests
 * of cost and iterations; the thresholds each test had to be under.
 */
import { describe, expect, it } from 'vitest'
import type { GateCaseRow, GateSideCase, GateThresholds } from '../../src/shared/eval'
import { caseMark, caseP, limitText, thresholdsText } from '../../src/shared/eval-format'

const side = (passes: number, runs: number): GateSideCase => ({ passes, runs, meanIterations: 2, meanCostUsd: 0, meanViolations: 0, outcomes: [] })
const row = (b: [number, number], k: [number, number], p: Partial<GateCaseRow> = {}): GateCaseRow => ({
  name: 'c',
  label: null,
  correction: null,
  expected: 'SUCCESS',
  baseline: side(...b),
  candidate: side(...k),
  pWorse: 1,
  pBetter: 1,
  pWorseAdjusted: 1,
  pBetterAdjusted: 1,
  worse: false,
  ...p
})
const thresholds: GateThresholds = { passRate: 0.025, perCase: 0.025, costUsd: null, iterations: null, better: 0.05 }

describe('gate report formatting', () => {
  it("a case's p in the direction it moved, with the corrected p its mark uses", () => {
    const dropped = row([3, 3], [0, 3], { pWorse: 0.05, pWorseAdjusted: 0.1 })
    expect(caseP(dropped, 2)).toBe('p = 0.05, p = 0.1 corrected for 2 cases')
    expect(caseMark(dropped, thresholds)).toBe('fewer')
    const gained = row([0, 5], [5, 5], { pBetter: 0.004, pBetterAdjusted: 0.008 })
    expect(caseP(gained, 2)).toBe('p = 0.004, p = 0.008 corrected for 2 cases')
    expect(caseMark(gained, thresholds)).toBe('better')
    // Raw p under the threshold, corrected p not: not better.
    expect(caseMark(row([0, 3], [3, 3], { pBetter: 0.04, pBetterAdjusted: 0.08 }), thresholds)).toBe('more')
    expect(caseP(row([0, 3], [3, 3], { pBetter: 0.05, pBetterAdjusted: 0.05 }), 1)).toBe('p = 0.05')
    expect(caseP(row([3, 3], [3, 3]), 0)).toBeNull()
    expect(caseMark(row([3, 3], [0, 3], { worse: true }), thresholds)).toBe('worse')
  })

  it('the limit test of a metric when the suite sets one, and the thresholds line', () => {
    const d = { baseline: 2, candidate: 9, difference: 7, interval: [5, 9] as [number, number] }
    expect(limitText({ ...d, limit: 5, pOverLimit: 0.0123 }, 1)).toBe('more than +5.0: p = 0.0123')
    expect(limitText({ ...d, limit: null, pOverLimit: null }, 1)).toBeNull()
    expect(limitText(d, 2)).toBeNull()
    const cases = [row([3, 3], [0, 3]), row([3, 3], [1, 3])]
    expect(thresholdsText({ cases, thresholds: { ...thresholds, passRate: 0.0125, perCase: 0.0125, iterations: 0.025 }, tooFewRuns: false })).toBe(
      "tests: worse if pass rate p < 0.0125 or a case's corrected p < 0.0125 or iterations p < 0.025; better if pass rate p < 0.05"
    )
    expect(thresholdsText({ cases: [cases[0]], thresholds, tooFewRuns: true })).toBe('tests: worse if pass rate p < 0.025; better if pass rate p < 0.05; too few runs to tell')
  })
})
