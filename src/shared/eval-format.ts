/**
 * How the validation gate's report is written: the same words and numbers in `andon eval`'s CI
 * log (src/cli/eval/gate-text.ts), in the verdict's reasons and on the Evals screen, so what the
 * GUI shows is what the CLI prints. Pure functions of the report.
 */
import type { GateCaseRow, GateReport, GateThresholds, LimitedMetricDifference, MetricDifference } from './eval'

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`
/** A difference with its sign (a real minus sign), `digits` decimals, the unit after the sign. */
export const signed = (x: number, digits: number, unit = '') => `${x < 0 ? '−' : '+'}${unit}${Math.abs(x).toFixed(digits)}`
/** A p-value people can read: 3 significant figures, never "0". */
export const formatP = (p: number) => (p < 0.0001 ? 'p < 0.0001' : `p = ${Number(p.toPrecision(3))}`)
/** A threshold a p-value is compared with: at most 4 decimals, no trailing zeros. */
export const thresholdText = (x: number) => `${Number(x.toFixed(4))}`
/** The confidence as a percentage: 0.95 → "95%". */
export const confidenceText = (confidence: number) => `${Math.round(confidence * 1000) / 10}%`
/** p is under the threshold by more than rounding: an exact p of 1/20 computed as 0.04999… is not under 0.05. */
export const under = (p: number, threshold: number) => p < threshold * (1 - 1e-9)

export type CaseMark = 'worse' | 'better' | 'fewer' | 'more' | 'same'

/** Per case: worse when the verdict counts the case, better when its corrected test says so, else which way it moved. */
export function caseMark(c: GateCaseRow, thresholds: Pick<GateThresholds, 'better'>): CaseMark {
  const drop = c.baseline.passes / c.baseline.runs - c.candidate.passes / c.candidate.runs
  if (c.worse) return 'worse'
  if (under(c.pBetterAdjusted, thresholds.better)) return 'better'
  if (drop > 0) return 'fewer'
  if (drop < 0) return 'more'
  return 'same'
}

/** Cases where some run passed and some failed: only those are tested one by one (and counted by the correction). */
export function testedCases(r: Pick<GateReport, 'cases'>): number {
  return r.cases.filter((c) => {
    const passes = c.baseline.passes + c.candidate.passes
    return passes > 0 && passes < c.baseline.runs + c.candidate.runs
  }).length
}

/** A case's test in the direction it moved, with its Holm-corrected p when that differs (what its mark uses); null when nothing moved. */
export function caseP(c: GateCaseRow, tested: number): string | null {
  const b = c.baseline
  const k = c.candidate
  if (b.passes === k.passes && b.runs === k.runs) return null
  const [raw, adjusted] = k.passes < b.passes ? [c.pWorse, c.pWorseAdjusted] : [c.pBetter, c.pBetterAdjusted]
  return `${formatP(raw)}${adjusted === raw ? '' : `, ${formatP(adjusted)} corrected for ${tested} cases`}`
}

/** The interval of a difference: "−0.5 to +1.2". */
export const intervalText = (d: MetricDifference, digits: number, unit = '') => `${signed(d.interval[0], digits, unit)} to ${signed(d.interval[1], digits, unit)}`

/** The test of "more than the suite's limit" for cost or iterations (null: no limit set, so it never makes the candidate worse). */
export function limitText(d: MetricDifference | LimitedMetricDifference, digits: number, unit = ''): string | null {
  if (!('limit' in d) || d.limit === null) return null
  return `more than ${signed(d.limit, digits, unit)}: ${formatP(d.pOverLimit ?? 1)}`
}

/** Which p-value each test had to be under, so a reader sees how 1 − confidence was shared. */
export function thresholdsText(r: Pick<GateReport, 'cases' | 'thresholds' | 'tooFewRuns'>): string {
  const t = r.thresholds
  const worse = [`pass rate p < ${thresholdText(t.passRate)}`, ...(testedCases(r) > 1 ? [`a case's corrected p < ${thresholdText(t.perCase)}`] : [])]
  if (t.costUsd !== null) worse.push(`cost p < ${thresholdText(t.costUsd)}`)
  if (t.iterations !== null) worse.push(`iterations p < ${thresholdText(t.iterations)}`)
  return `tests: worse if ${worse.join(' or ')}; better if pass rate p < ${thresholdText(t.better)}${r.tooFewRuns ? '; too few runs to tell' : ''}`
}
