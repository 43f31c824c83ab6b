/**
 * The statistics of the validation gate, pure and deterministic:
 * - Fisher's exact test on one 2×2 table (one case: candidate/baseline × pass/fail);
 * - the stratified exact test over cases: under "the two specs are the same", the runs of a case
 *   are exchangeable, so the candidate's passes in each case follow a hypergeometric law given
 *   that case's totals; their sum over cases has the convolution of those laws. Permuting labels
 *   only within a case keeps easy and hard cases from masking each other (pooling all runs in
 *   one table would), and with a single case it is exactly Fisher's one-sided test;
 * - Holm's step-down correction, so several tests together call a false difference at most at
 *   the level each was meant to have;
 * - a stratified permutation test of "the candidate's mean is higher by more than a limit" (cost,
 *   iterations), exact at any sample size;
 * - a seeded bootstrap interval for a difference of means (shown, not tested): resample cases,
 *   then runs within each resampled case, for each side.
 */

const logFactorials: number[] = [0]

function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials[i] = logFactorials[i - 1] + Math.log(i)
  return logFactorials[n]
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k)
}

/**
 * The law of the passes among `drawn` runs, when `passes` of `total` runs passed and labels are
 * exchangeable: index k holds P(k passes among the drawn), for k from 0 to `drawn`.
 */
export function hypergeometric(total: number, passes: number, drawn: number): number[] {
  const out = new Array<number>(drawn + 1).fill(0)
  const denom = logChoose(total, drawn)
  for (let k = Math.max(0, drawn - (total - passes)); k <= Math.min(drawn, passes); k++) {
    out[k] = Math.exp(logChoose(passes, k) + logChoose(total - passes, drawn - k) - denom)
  }
  return out
}

export interface ExactTest {
  /** P(as few candidate passes or fewer) when the two sides are the same: small means the candidate is worse. */
  less: number
  /** P(as many candidate passes or more): small means the candidate is better. */
  greater: number
}

/** One case (stratum): passes and runs of each side. */
export interface PassCounts {
  candidatePasses: number
  candidateRuns: number
  baselinePasses: number
  baselineRuns: number
}

function checkCounts(c: PassCounts): void {
  const ok = (n: number) => Number.isInteger(n) && n >= 0
  if (![c.candidatePasses, c.candidateRuns, c.baselinePasses, c.baselineRuns].every(ok) || c.candidatePasses > c.candidateRuns || c.baselinePasses > c.baselineRuns) {
    throw new RangeError(`pass counts must be whole numbers with passes ≤ runs: ${JSON.stringify(c)}`)
  }
}

const clamp01 = (p: number) => Math.min(1, Math.max(0, p))

function tails(law: number[], observed: number): ExactTest {
  let less = 0
  let greater = 0
  law.forEach((p, k) => {
    if (k <= observed) less += p
    if (k >= observed) greater += p
  })
  return { less: clamp01(less), greater: clamp01(greater) }
}

/** Fisher's exact test on one table: rows candidate/baseline, columns pass/fail. */
export function fisherExact(c: PassCounts): ExactTest {
  return stratifiedExact([c])
}

/** The exact test over several cases (strata); one case gives Fisher's test. */
export function stratifiedExact(cases: PassCounts[]): ExactTest {
  let law = [1]
  let observed = 0
  for (const c of cases) {
    checkCounts(c)
    const total = c.candidateRuns + c.baselineRuns
    const h = hypergeometric(total, c.candidatePasses + c.baselinePasses, c.candidateRuns)
    const next = new Array<number>(law.length + h.length - 1).fill(0)
    law.forEach((p, i) => {
      if (p !== 0) h.forEach((q, j) => (next[i + j] += p * q))
    })
    law = next
    observed += c.candidatePasses
  }
  return tails(law, observed)
}

/** One case's numbers of runs on each side: all a test's smallest possible p-value depends on. */
export type RunCounts = Pick<PassCounts, 'candidateRuns' | 'baselineRuns'>

/**
 * The smallest p-value the stratified test (either way) can give with these runs: every run of
 * one side passing and every run of the other failing, in every case. When even that is not
 * small enough, the runs are too few to tell anything at that level.
 */
export function smallestExactP(cases: RunCounts[]): number {
  return Math.exp(-cases.reduce((n, c) => n + logChoose(c.candidateRuns + c.baselineRuns, c.candidateRuns), 0))
}

/** Holm's adjusted p-values, in the input's order: rejecting those under α keeps the chance of any false rejection under α. */
export function holm(ps: number[]): number[] {
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p)
  const adjusted = new Array<number>(ps.length)
  let running = 0
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p))
    adjusted[i] = running
  })
  return adjusted
}

/** A small, fast, seeded generator (mulberry32): the same seed gives the same intervals. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One case's per-run values of one metric, for each side. */
export interface PairedCase {
  baseline: number[]
  candidate: number[]
}

export interface BootstrapOptions {
  /** Two-sided level of the interval (0.95: the 2.5th to the 97.5th percentile). */
  confidence: number
  resamples: number
  seed: number
}

export interface Difference {
  /** Candidate mean minus baseline mean, over all runs. */
  difference: number
  interval: [number, number]
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0)

/** The mean over all runs of one side (every run weighs the same). */
export function pooledMean(cases: PairedCase[], side: keyof PairedCase): number {
  return mean(cases.flatMap((c) => c[side]))
}

export interface PermutationOptions {
  resamples: number
  seed: number
}

/**
 * P(the candidate's mean exceeds the baseline's by this much or more) if the candidate were the
 * baseline plus `limit`: small means it is worse by more than the limit. Each candidate run is
 * moved down by the limit, then labels are permuted within each case (every relabelling when
 * there are no more of them than `resamples`, an exact p; otherwise `resamples` random ones,
 * counting the observed labelling as one of them, which keeps the test's level). A true excess
 * under the limit only makes the p-value larger.
 */
export function permutationOverLimit(cases: PairedCase[], limit: number, opts: PermutationOptions): number {
  if (cases.length === 0) throw new RangeError('a permutation test needs at least one case')
  if (cases.some((c) => c.baseline.length === 0 || c.candidate.length === 0)) throw new RangeError('every case needs runs on both sides')
  const strata = cases.map((c) => ({ values: [...c.candidate.map((x) => x - limit), ...c.baseline], drawn: c.candidate.length }))
  const observed = strata.reduce((n, s) => n + s.values.slice(0, s.drawn).reduce((a, b) => a + b, 0), 0)
  // The statistic is the sum of the candidate's values (the mean difference grows with it); a sum
  // equal to the observed one up to rounding counts as reaching it.
  const reached = (sum: number) => sum >= observed - 1e-9 * (1 + strata.reduce((n, s) => n + s.values.reduce((a, b) => a + Math.abs(b), 0), 0))
  const labellings = Math.exp(strata.reduce((n, s) => n + logChoose(s.values.length, s.drawn), 0))
  if (labellings <= opts.resamples) {
    let sums = [0]
    for (const s of strata) {
      const own = subsetSums(s.values, s.drawn)
      sums = sums.flatMap((a) => own.map((b) => a + b))
    }
    return sums.filter(reached).length / sums.length
  }
  const random = seededRandom(opts.seed)
  let hits = 0
  for (let b = 0; b < opts.resamples; b++) {
    let sum = 0
    for (const s of strata) {
      const v = [...s.values]
      for (let i = 0; i < s.drawn; i++) {
        const j = i + Math.floor(random() * (v.length - i))
        ;[v[i], v[j]] = [v[j], v[i]]
        sum += v[i]
      }
    }
    if (reached(sum)) hits++
  }
  return (hits + 1) / (opts.resamples + 1)
}

/** The sum of every subset of `k` of the values. */
function subsetSums(values: number[], k: number): number[] {
  if (k === 0) return [0]
  if (values.length < k) return []
  const [first, ...rest] = values
  return [...subsetSums(rest, k - 1).map((s) => s + first), ...subsetSums(rest, k)]
}

function percentile(sorted: number[], q: number): number {
  const at = q * (sorted.length - 1)
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo)
}

/**
 * Candidate minus baseline, with a percentile bootstrap interval: each resample draws the cases
 * with replacement, then, within each drawn case, each side's runs with replacement.
 */
export function bootstrapDifference(cases: PairedCase[], opts: BootstrapOptions): Difference {
  if (cases.length === 0) throw new RangeError('a bootstrap needs at least one case')
  if (cases.some((c) => c.baseline.length === 0 || c.candidate.length === 0)) throw new RangeError('every case needs runs on both sides')
  const difference = pooledMean(cases, 'candidate') - pooledMean(cases, 'baseline')
  const random = seededRandom(opts.seed)
  const pick = (n: number) => Math.floor(random() * n)
  const stats: number[] = []
  for (let b = 0; b < opts.resamples; b++) {
    const sums = { baseline: 0, candidate: 0 }
    const counts = { baseline: 0, candidate: 0 }
    for (let i = 0; i < cases.length; i++) {
      const c = cases[pick(cases.length)]
      for (const side of ['baseline', 'candidate'] as const) {
        const runs = c[side]
        for (let r = 0; r < runs.length; r++) sums[side] += runs[pick(runs.length)]
        counts[side] += runs.length
      }
    }
    stats.push(sums.candidate / counts.candidate - sums.baseline / counts.baseline)
  }
  stats.sort((x, y) => x - y)
  const tail = (1 - opts.confidence) / 2
  return { difference, interval: [percentile(stats, tail), percentile(stats, 1 - tail)] }
}
