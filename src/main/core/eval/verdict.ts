/**
 * The gate's verdict from its tests. `worse` is the claim CI acts on, so the chance that two
 * identical specs are called worse stays under 1 − confidence (α) in total:
 * - α is split evenly (Bonferroni) among the metrics checked: pass rate always, cost and
 *   iterations when the suite sets a limit on them (a permutation test of "more than the limit");
 * - the pass rate's share is split again between the overall stratified test (a drop spread over
 *   many cases) and each case's own test, Holm-corrected over the cases (a case the candidate
 *   breaks, even when a gain elsewhere hides it from the overall rate). Cases every run passed,
 *   or every run failed, cannot show a difference and do not count; with one case that can, the
 *   two tests are the same test and keep the whole share.
 * Any of them makes the candidate `worse`, which wins over `better` (the overall gain at α).
 */
import type { GateSettings, GateThresholds, GateVerdict, LimitedMetricDifference, MetricDifference, PassRateDifference } from '../../../shared/eval'
import { formatP, pct, thresholdText as level, under } from '../../../shared/eval-format'
import { holm, smallestExactP, type PassCounts } from './stats'

export interface CaseEvidence extends PassCounts {
  name: string
  label: string | null
  /** Fisher's exact test on this case, each way. */
  pWorse: number
  pBetter: number
}

export interface VerdictInput {
  passRate: PassRateDifference
  cases: CaseEvidence[]
  iterations: LimitedMetricDifference
  costUsd: LimitedMetricDifference
  settings: Pick<GateSettings, 'confidence' | 'maxPassRateDrop'>
}

export interface CaseFinding {
  pWorseAdjusted: number
  pBetterAdjusted: number
  worse: boolean
}

export interface Verdict {
  verdict: GateVerdict
  reasons: string[]
  thresholds: GateThresholds
  cases: CaseFinding[]
  tooFewRuns: boolean
}

const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} points`
const interval = (d: MetricDifference, f: (x: number) => string) => `${f(d.interval[0])} to ${f(d.interval[1])}`

/** A case some run passed and some run failed (either side): only such a case can show a difference. */
const informative = (c: PassCounts) => {
  const passes = c.candidatePasses + c.baselinePasses
  return passes > 0 && passes < c.candidateRuns + c.baselineRuns
}

export function gateThresholds(confidence: number, limits: { costUsd: boolean; iterations: boolean }, informativeCases: number): GateThresholds {
  // Rounded, so reports say 0.05 and not 0.050000000000000044.
  const alpha = Number((1 - confidence).toFixed(12))
  const share = alpha / (1 + Number(limits.costUsd) + Number(limits.iterations))
  const passRate = informativeCases > 1 ? share / 2 : share
  return { passRate, perCase: passRate, costUsd: limits.costUsd ? share : null, iterations: limits.iterations ? share : null, better: alpha }
}

/** Holm over the cases that can show a difference; 1 for the others. */
function adjustOverCases(cases: PassCounts[], p: (i: number) => number): number[] {
  const open = cases.map((c, i) => (informative(c) ? i : -1)).filter((i) => i >= 0)
  const adjusted = holm(open.map(p))
  const out = cases.map(() => 1)
  open.forEach((i, k) => (out[i] = adjusted[k]))
  return out
}

/** Whether the pass rate could be called worse at all with these numbers of runs (every baseline run passing, every candidate run failing). */
function couldBeWorse(cases: { candidateRuns: number; baselineRuns: number }[], confidence: number, limits: { costUsd: boolean; iterations: boolean }): boolean {
  const t = gateThresholds(confidence, limits, cases.length)
  if (under(smallestExactP(cases), t.passRate)) return true
  return holm(cases.map((c) => smallestExactP([c]))).some((p) => under(p, t.perCase))
}

function tooFewRunsReason(input: VerdictInput, limits: { costUsd: boolean; iterations: boolean }): string {
  const runs = Math.min(...input.cases.map((c) => Math.min(c.candidateRuns, c.baselineRuns)))
  let enough: number | null = null
  for (let r = runs + 1; r <= 100 && enough === null; r++) {
    if (couldBeWorse(input.cases.map(() => ({ candidateRuns: r, baselineRuns: r })), input.settings.confidence, limits)) enough = r
  }
  const at = `${Math.round(input.settings.confidence * 1000) / 10}%`
  return (
    `too few runs to tell: with ${input.cases.length} case(s) × ${runs} run(s) per spec, even every baseline run passing and every candidate run failing would not be worse at ${at}; ` +
    (enough === null ? 'add cases' : `run each case at least ${enough} times (--repeat ${enough})`)
  )
}

function limitReason(title: string, d: LimitedMetricDifference, threshold: number, at: string, f: (x: number) => string): string {
  const signed = (x: number) => `${x < 0 ? '−' : '+'}${f(Math.abs(x))}`
  return (
    `${title} ${f(d.baseline)} → ${f(d.candidate)} (${at} interval ${signed(d.interval[0])} to ${signed(d.interval[1])}): ` +
    `more than ${f(d.limit ?? 0)} over the baseline, by chance with ${formatP(d.pOverLimit ?? 1)} < ${level(threshold)}`
  )
}

export function decideVerdict(input: VerdictInput): Verdict {
  const { passRate: pr, settings: s } = input
  const limits = { costUsd: input.costUsd.limit !== null, iterations: input.iterations.limit !== null }
  const open = input.cases.filter(informative).length
  const t = gateThresholds(s.confidence, limits, open)
  const at = `${Math.round(s.confidence * 1000) / 10}%`
  const rates = `pass rate ${pct(pr.baseline)} → ${pct(pr.candidate)} (${points(pr.difference)}, ${at} interval ${interval(pr, (x) => points(x).replace(' points', ''))})`
  const worse: string[] = []
  const notes: string[] = []

  if (under(pr.pWorse, t.passRate)) {
    const drop = pr.baseline - pr.candidate
    if (drop > s.maxPassRateDrop) worse.push(`${rates}: a drop this large happens by chance with ${formatP(pr.pWorse)} < ${level(t.passRate)}`)
    else notes.push(`${rates}: a real drop, but within the allowed ${pct(s.maxPassRateDrop)}`)
  }
  const pWorse = adjustOverCases(input.cases, (i) => input.cases[i].pWorse)
  const pBetter = adjustOverCases(input.cases, (i) => input.cases[i].pBetter)
  const cases = input.cases.map((c, i): CaseFinding => {
    const drop = c.baselinePasses / c.baselineRuns - c.candidatePasses / c.candidateRuns
    const significant = under(pWorse[i], t.perCase)
    const corrected = open > 1 ? ` (${formatP(pWorse[i])} corrected for ${open} cases)` : ''
    const what = `case ${c.name}${c.label ? ` [${c.label}]` : ''}: passed ${c.baselinePasses}/${c.baselineRuns} → ${c.candidatePasses}/${c.candidateRuns}`
    if (significant && drop > s.maxPassRateDrop) worse.push(`${what}: a drop this large happens by chance with ${formatP(c.pWorse)}${corrected} < ${level(t.perCase)}`)
    else if (significant) notes.push(`${what}: a real drop, but within the allowed ${pct(s.maxPassRateDrop)}`)
    return { pWorseAdjusted: pWorse[i], pBetterAdjusted: pBetter[i], worse: significant && drop > s.maxPassRateDrop }
  })
  if (t.costUsd !== null && under(input.costUsd.pOverLimit ?? 1, t.costUsd)) {
    worse.push(limitReason('cost per run', input.costUsd, t.costUsd, at, (x) => `$${x.toFixed(4)}`))
  }
  if (t.iterations !== null && under(input.iterations.pOverLimit ?? 1, t.iterations)) {
    worse.push(limitReason('iterations per run', input.iterations, t.iterations, at, (x) => x.toFixed(1)))
  }
  const tooFewRuns = !couldBeWorse(input.cases, s.confidence, limits)
  const result = (verdict: GateVerdict, reasons: string[]): Verdict => ({ verdict, reasons, thresholds: t, cases, tooFewRuns })

  if (worse.length) return result('worse', [...worse, ...notes])
  if (under(pr.pBetter, t.better)) {
    return result('better', [`${rates}: a gain this large happens by chance with ${formatP(pr.pBetter)} < ${level(t.better)}`, ...notes])
  }
  return result('no difference', [
    ...notes,
    ...(notes.length ? [] : [`${rates}: cannot tell at ${at} (by chance: worse ${formatP(pr.pWorse)}, better ${formatP(pr.pBetter)})`]),
    ...(tooFewRuns ? [tooFewRunsReason(input, limits)] : [])
  ])
}
