import { describe, expect, it } from 'vitest'
import { bootstrapDifference, fisherExact, holm, hypergeometric, permutationOverLimit, seededRandom, smallestExactP, stratifiedExact, type PassCounts } from '../../src/main/core/eval/stats'

const counts = (candidatePasses: number, candidateRuns: number, baselinePasses: number, baselineRuns: number): PassCounts => ({ candidatePasses, candidateRuns, baselinePasses, baselineRuns })

/** Every way to relabel the runs of each case (same numbers of candidate runs): the permutation law, counted by hand. */
function bruteForceLess(cases: PassCounts[]): number {
  const observed = cases.reduce((n, c) => n + c.candidatePasses, 0)
  let hits = 0
  let all = 0
  const subsets = (n: number, k: number): number[][] => (k === 0 ? [[]] : n < k ? [] : [...subsets(n - 1, k - 1).map((s) => [...s, n - 1]), ...subsets(n - 1, k)])
  const walk = (i: number, sum: number, weight: number): void => {
    if (i === cases.length) {
      all += weight
      if (sum <= observed) hits += weight
      return
    }
    const c = cases[i]
    const total = c.candidateRuns + c.baselineRuns
    const passes = c.candidatePasses + c.baselinePasses
    // runs 0..passes-1 passed; each subset of size candidateRuns is one labelling
    for (const s of subsets(total, c.candidateRuns)) walk(i + 1, sum + s.filter((r) => r < passes).length, weight)
  }
  walk(0, 0, 1)
  return hits / all
}

describe("Fisher's exact test", () => {
  it('matches the textbook values (Wikipedia: 1/9 vs 11/3, one-sided p = 0.001380)', () => {
    const t = fisherExact(counts(1, 10, 11, 14))
    expect(t.less).toBeCloseTo(0.001379728, 8)
    expect(t.greater).toBeCloseTo(1 - 0.001379728 + 0.001346, 3)
  })

  it('matches the lady tasting tea (3 of 4 vs 1 of 4: one-sided 17/70)', () => {
    const t = fisherExact(counts(3, 4, 1, 4))
    expect(t.greater).toBeCloseTo(17 / 70, 12)
    expect(t.less).toBeCloseTo(69 / 70, 12)
  })

  it('all pass or all fail on both sides: no evidence either way', () => {
    for (const t of [fisherExact(counts(5, 5, 5, 5)), fisherExact(counts(0, 5, 0, 5))]) expect(t).toEqual({ less: 1, greater: 1 })
  })

  it('one run each: a pass against a fail is a coin flip, never significant', () => {
    expect(fisherExact(counts(0, 1, 1, 1)).less).toBeCloseTo(0.5, 12)
  })

  it('5 of 5 against 0 of 5 is 1 in 252', () => {
    expect(fisherExact(counts(0, 5, 5, 5)).less).toBeCloseTo(1 / 252, 12)
    expect(fisherExact(counts(5, 5, 0, 5)).greater).toBeCloseTo(1 / 252, 12)
  })

  it('refuses counts that cannot be', () => {
    expect(() => fisherExact(counts(6, 5, 0, 5))).toThrow(/passes ≤ runs/)
    expect(() => fisherExact(counts(-1, 5, 0, 5))).toThrow(RangeError)
    expect(() => fisherExact(counts(1.5, 5, 0, 5))).toThrow(RangeError)
  })

  it('the hypergeometric law sums to one', () => {
    expect(hypergeometric(30, 25, 15).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
  })
})

describe('the stratified exact test over cases', () => {
  it('with one case it is Fisher one-sided', () => {
    const c = counts(2, 6, 5, 6)
    expect(stratifiedExact([c]).less).toBeCloseTo(fisherExact(c).less, 12)
  })

  it('agrees with counting every relabelling within each case', () => {
    const cases = [counts(1, 3, 3, 3), counts(2, 3, 1, 3), counts(0, 2, 2, 3)]
    expect(stratifiedExact(cases).less).toBeCloseTo(bruteForceLess(cases), 12)
  })

  it('cases every run passes (or fails) on both sides add nothing: one bad case of three is still 1 in 252', () => {
    const t = stratifiedExact([counts(5, 5, 5, 5), counts(0, 5, 5, 5), counts(0, 5, 0, 5)])
    expect(t.less).toBeCloseTo(1 / 252, 12)
    // Pooling all runs in one table would say 15/15 vs 10/15 instead: p = 0.021.
    expect(fisherExact(counts(10, 15, 15, 15)).less).toBeCloseTo(0.02107, 4)
  })
})

describe("Holm's correction", () => {
  it('multiplies the smallest p by the number of tests, the next by one fewer, never decreasing, at most 1, in the input order', () => {
    expect(holm([0.04, 0.01, 0.03, 0.5])).toEqual([0.09, 0.04, 0.09, 0.5])
    expect(holm([0.3, 0.4])).toEqual([0.6, 0.6])
    expect(holm([0.9, 0.8])).toEqual([1, 1])
    expect(holm([])).toEqual([])
  })
})

describe('the smallest p-value some runs can give', () => {
  it('is one labelling among all of them: 1 in 252 for 5 against 5, their product over cases', () => {
    expect(smallestExactP([{ candidateRuns: 5, baselineRuns: 5 }])).toBeCloseTo(1 / 252, 12)
    expect(smallestExactP([{ candidateRuns: 3, baselineRuns: 3 }, { candidateRuns: 1, baselineRuns: 1 }])).toBeCloseTo(1 / 40, 12)
    // and it is what the exact test gives when every baseline run passes and every candidate run fails
    expect(stratifiedExact([counts(0, 3, 3, 3), counts(0, 1, 1, 1)]).less).toBeCloseTo(1 / 40, 12)
  })
})

describe('the permutation test of "more than the limit"', () => {
  const opts = { resamples: 2000, seed: 3 }

  it('counts every relabelling when there are few: candidate 3, 4 against baseline 1, 2 is 1 in 6 (exact)', () => {
    const cases = [{ baseline: [1, 2], candidate: [3, 4] }]
    expect(permutationOverLimit(cases, 0, opts)).toBeCloseTo(1 / 6, 12)
    // Shifted down by a limit of 1: 2, 3 against 1, 2; the six labellings give candidate sums 5, 3, 4, 4, 5, 3: two reach the observed 5.
    expect(permutationOverLimit(cases, 1, opts)).toBeCloseTo(2 / 6, 12)
    // A limit of 2: the shifted candidate (1, 2) is the baseline; only the labelling (1, 1) falls short of its sum.
    expect(permutationOverLimit(cases, 2, opts)).toBeCloseTo(5 / 6, 12)
  })

  it('equal values give p = 1 with a zero limit (nothing to be worse by), whatever the rounding', () => {
    expect(permutationOverLimit([{ baseline: [0.1 + 0.2, 0.3], candidate: [0.3, 0.3] }], 0, opts)).toBe(1)
  })

  it('strata: labels move only within a case, so a large but constant gap between cases is not a difference', () => {
    const cases = [
      { baseline: [100, 101], candidate: [100, 101] },
      { baseline: [1, 2], candidate: [1, 2] }
    ]
    expect(permutationOverLimit(cases, 0, opts)).toBeGreaterThan(0.3)
  })

  it('with more relabellings than resamples, it samples them, reproducibly, and never gives less than 1 / (resamples + 1)', () => {
    const cases = [{ baseline: [1, 2, 3, 4, 5, 6], candidate: [11, 12, 13, 14, 15, 16] }]
    const few = { resamples: 100, seed: 9 }
    expect(permutationOverLimit(cases, 0, few)).toBe(1 / 101)
    const noisy = [{ baseline: [1, 5, 2, 8, 3, 4], candidate: [2, 6, 9, 3, 7, 5] }]
    expect(permutationOverLimit(noisy, 0, few)).toBe(permutationOverLimit(noisy, 0, few))
    expect(Math.abs(permutationOverLimit(noisy, 0, few) - permutationOverLimit(noisy, 0, { resamples: 50_000, seed: 1 }))).toBeLessThan(0.1)
  })

  it('two identical laws: p < 0.05 in at most 5% of simulated comparisons (one case × 5 runs of a skewed cost)', () => {
    const random = seededRandom(21)
    const cost = () => Math.log(1 - random()) ** 2
    let small = 0
    const trials = 2000
    for (let t = 0; t < trials; t++) {
      const cases = [{ baseline: Array.from({ length: 5 }, cost), candidate: Array.from({ length: 5 }, cost) }]
      if (permutationOverLimit(cases, 0, { resamples: 300, seed: t }) < 0.05) small++
    }
    expect(small / trials).toBeLessThanOrEqual(0.05 + 0.005)
  })

  it('refuses a case with no runs on a side, and no cases', () => {
    expect(() => permutationOverLimit([], 0, opts)).toThrow(/at least one case/)
    expect(() => permutationOverLimit([{ baseline: [1], candidate: [] }], 0, opts)).toThrow(/both sides/)
  })
})

describe('the seeded bootstrap', () => {
  const cases = [
    { baseline: [1, 1, 1, 1, 1], candidate: [0, 0, 1, 0, 0] },
    { baseline: [1, 1, 1, 1, 1], candidate: [1, 1, 1, 1, 1] },
    { baseline: [0, 1, 0, 1, 1], candidate: [1, 1, 0, 1, 1] }
  ]
  const opts = { confidence: 0.95, resamples: 2000, seed: 42 }

  it('the same seed gives the same interval; another seed another one', () => {
    const a = bootstrapDifference(cases, opts)
    expect(bootstrapDifference(cases, opts)).toEqual(a)
    expect(bootstrapDifference(cases, { ...opts, seed: 43 }).interval).not.toEqual(a.interval)
  })

  it('reports the observed difference inside its interval, and a wider interval at a higher confidence', () => {
    const a = bootstrapDifference(cases, opts)
    expect(a.difference).toBeCloseTo(10 / 15 - 13 / 15, 12)
    expect(a.interval[0]).toBeLessThanOrEqual(a.difference)
    expect(a.interval[1]).toBeGreaterThanOrEqual(a.difference)
    const wide = bootstrapDifference(cases, { ...opts, confidence: 0.99 })
    expect(wide.interval[0]).toBeLessThanOrEqual(a.interval[0])
    expect(wide.interval[1]).toBeGreaterThanOrEqual(a.interval[1])
  })

  it('all pass on both sides (or all fail): the difference is exactly 0 with a zero-width interval', () => {
    expect(bootstrapDifference([{ baseline: [1, 1], candidate: [1, 1] }], opts)).toEqual({ difference: 0, interval: [0, 0] })
    expect(bootstrapDifference([{ baseline: [0], candidate: [0] }], opts)).toEqual({ difference: 0, interval: [0, 0] })
  })

  it('one run per side of one case: nothing to resample, the interval is the single difference', () => {
    expect(bootstrapDifference([{ baseline: [3], candidate: [5] }], opts)).toEqual({ difference: 2, interval: [2, 2] })
  })

  it('resamples cases: a difference confined to one case of three leaves 0 inside the interval', () => {
    const d = bootstrapDifference([{ baseline: [1, 1], candidate: [0, 0] }, { baseline: [1, 1], candidate: [1, 1] }, { baseline: [1, 1], candidate: [1, 1] }], opts)
    expect(d.difference).toBeCloseTo(-1 / 3, 12)
    // A resample without the bad case (8 in 27 do) shows no difference at all.
    expect(d.interval[1]).toBe(0)
    expect(d.interval[0]).toBeLessThan(-1 / 3)
  })

  it('refuses a case with no runs on a side, and no cases', () => {
    expect(() => bootstrapDifference([], opts)).toThrow(/at least one case/)
    expect(() => bootstrapDifference([{ baseline: [], candidate: [1] }], opts)).toThrow(/both sides/)
  })

  it('the generator is deterministic and in [0, 1)', () => {
    const a = seededRandom(7)
    const b = seededRandom(7)
    const xs = Array.from({ length: 1000 }, () => a())
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()))
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(new Set(xs).size).toBeGreaterThan(990)
  })
})
