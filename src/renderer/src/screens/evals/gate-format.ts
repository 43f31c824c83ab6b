/** How the Evals screen writes the gate's numbers: the same forms as `andon eval`'s report. */
import type { GateCaseRow, GateThresholds, GateVerdict } from '../../../../shared/eval'

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`
export const signed = (x: number, digits: number, unit = '') => `${x < 0 ? '−' : '+'}${unit}${Math.abs(x).toFixed(digits)}`
/** A p-value people can read: 3 significant figures, never "0". */
export const formatP = (p: number) => (p < 0.0001 ? 'p < 0.0001' : `p = ${Number(p.toPrecision(3))}`)
export const level = (confidence: number) => `${Math.round(confidence * 1000) / 10}%`

export type CaseMark = 'worse' | 'better' | 'fewer' | 'more' | 'same'

/** Per case, as the CLI marks it: worse when the verdict counts the case, better when its corrected test says so. */
export function caseMark(c: GateCaseRow, thresholds: GateThresholds): CaseMark {
  const drop = c.baseline.passes / c.baseline.runs - c.candidate.passes / c.candidate.runs
  if (c.worse) return 'worse'
  if (c.pBetterAdjusted < thresholds.better * (1 - 1e-9)) return 'better'
  if (drop > 0) return 'fewer'
  if (drop < 0) return 'more'
  return 'same'
}

export const VERDICT_TEXT: Record<GateVerdict, string> = {
  worse: 'Worse: the candidate does not pass the gate',
  better: 'Better: the candidate passes more cases',
  'no difference': 'No difference that this many runs can show'
}
