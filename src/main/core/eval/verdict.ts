/**
 * The gate's verdict from its measured differences. Pass rate decides `worse` and `better` by the
 * stratified exact test over the suite's cases (these cases are what the suite says matters:
 * a candidate that fails one of them where the baseline passed is a regression). Cost and
 * iterations make the candidate `worse` only when the suite sets a limit and the whole bootstrap
 * interval of the difference lies beyond it.
 */
import type { GateSettings, GateVerdict, MetricDifference, PassRateDifference } from '../../../shared/eval'

export interface VerdictInput {
  passRate: PassRateDifference
  iterations: MetricDifference
  costUsd: MetricDifference
  settings: Pick<GateSettings, 'confidence' | 'maxPassRateDrop' | 'maxCostIncrease' | 'maxIterationsIncrease'>
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} points`
/** A p-value people can read: 3 significant figures, never "0". */
export const formatP = (p: number) => (p < 0.0001 ? 'p < 0.0001' : `p = ${Number(p.toPrecision(3))}`)
const interval = (d: MetricDifference, f: (x: number) => string) => `${f(d.interval[0])} to ${f(d.interval[1])}`

export function decideVerdict(input: VerdictInput): { verdict: GateVerdict; reasons: string[] } {
  const { passRate: pr, settings: s } = input
  const alpha = 1 - s.confidence
  const level = `${Math.round(s.confidence * 1000) / 10}%`
  const rates = `pass rate ${pct(pr.baseline)} → ${pct(pr.candidate)} (${points(pr.difference)}, ${level} interval ${interval(pr, (x) => points(x).replace(' points', ''))})`
  const worse: string[] = []
  const notes: string[] = []

  const drop = pr.baseline - pr.candidate
  if (pr.pWorse < alpha && drop > s.maxPassRateDrop) {
    worse.push(`${rates}: a drop this large happens by chance with ${formatP(pr.pWorse)} < ${Number(alpha.toFixed(4))}`)
  } else if (pr.pWorse < alpha) {
    notes.push(`${rates}: a real drop, but within the allowed ${pct(s.maxPassRateDrop)}`)
  }
  if (s.maxCostIncrease !== undefined && input.costUsd.interval[0] > s.maxCostIncrease) {
    worse.push(`cost per run $${input.costUsd.baseline.toFixed(4)} → $${input.costUsd.candidate.toFixed(4)}: at least $${input.costUsd.interval[0].toFixed(4)} more (${level} interval), over the allowed $${s.maxCostIncrease}`)
  }
  if (s.maxIterationsIncrease !== undefined && input.iterations.interval[0] > s.maxIterationsIncrease) {
    worse.push(`iterations per run ${input.iterations.baseline.toFixed(1)} → ${input.iterations.candidate.toFixed(1)}: at least ${input.iterations.interval[0].toFixed(1)} more (${level} interval), over the allowed ${s.maxIterationsIncrease}`)
  }
  if (worse.length) return { verdict: 'worse', reasons: [...worse, ...notes] }
  if (pr.pBetter < alpha) {
    return { verdict: 'better', reasons: [`${rates}: a gain this large happens by chance with ${formatP(pr.pBetter)} < ${Number(alpha.toFixed(4))}`, ...notes] }
  }
  return {
    verdict: 'no difference',
    reasons: [...notes, ...(notes.length ? [] : [`${rates}: cannot tell at ${level} (by chance: worse ${formatP(pr.pWorse)}, better ${formatP(pr.pBetter)})`])]
  }
}
