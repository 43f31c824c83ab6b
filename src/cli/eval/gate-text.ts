/** The gate's report as a CI log: who was compared, one line per case, the overall differences, and a verdict line. */
import { formatP, under } from '../../main/core/eval/verdict'
import type { GateCaseRow, GateReport, LimitedMetricDifference, MetricDifference } from '../../shared/eval'
import type { Io } from '../io'

const signed = (x: number, digits: number, unit = '') => `${x < 0 ? '−' : '+'}${unit}${Math.abs(x).toFixed(digits)}`

function caseMark(c: GateCaseRow, better: number): string {
  const drop = c.baseline.passes / c.baseline.runs - c.candidate.passes / c.candidate.runs
  if (c.worse) return 'WORSE '
  if (under(c.pBetterAdjusted, better)) return 'better'
  if (drop > 0) return 'fewer '
  if (drop < 0) return 'more  '
  return 'same  '
}

/** Cases where some run passed and some failed: only those are tested one by one (and counted by the correction). */
function testedCases(r: GateReport): number {
  return r.cases.filter((c) => {
    const passes = c.baseline.passes + c.candidate.passes
    return passes > 0 && passes < c.baseline.runs + c.candidate.runs
  }).length
}

function caseLine(c: GateCaseRow, better: number, tested: number): string {
  const b = c.baseline
  const k = c.candidate
  const expected = c.expected === 'SUCCESS' ? '' : ` (expects ${c.expected})`
  const [raw, adjusted] = k.passes < b.passes ? [c.pWorse, c.pWorseAdjusted] : [c.pBetter, c.pBetterAdjusted]
  const corrected = adjusted === raw ? '' : `, ${formatP(adjusted)} corrected for ${tested} cases`
  const p = b.passes === k.passes && b.runs === k.runs ? '' : ` (${formatP(raw)}${corrected})`
  const label = c.label ? ` [${c.label}]` : ''
  return (
    `${caseMark(c, better)}  ${c.name}${label}${expected}: passed ${b.passes}/${b.runs} → ${k.passes}/${k.runs}${p}; ` +
    `iterations ${b.meanIterations.toFixed(1)} → ${k.meanIterations.toFixed(1)}; cost $${b.meanCostUsd.toFixed(4)} → $${k.meanCostUsd.toFixed(4)}`
  )
}

function metricLine(title: string, d: MetricDifference | LimitedMetricDifference, level: string, digits: number, unit = ''): string {
  const limit = 'limit' in d && d.limit !== null ? `; more than ${signed(d.limit, digits, unit)}: ${formatP(d.pOverLimit ?? 1)}` : ''
  return (
    `${title.padEnd(30)}${unit}${d.baseline.toFixed(digits)} → ${unit}${d.candidate.toFixed(digits)}  ` +
    `${signed(d.difference, digits, unit)} (${level} interval ${signed(d.interval[0], digits, unit)} to ${signed(d.interval[1], digits, unit)}${limit})`
  )
}

/** Which p-value each test had to be under, so a reader sees how 1 − confidence was shared. */
function thresholdLine(r: GateReport): string {
  const t = r.thresholds
  const n = (x: number) => `${Number(x.toFixed(4))}`
  const worse = [`pass rate p < ${n(t.passRate)}`, ...(testedCases(r) > 1 ? [`a case's corrected p < ${n(t.perCase)}`] : [])]
  if (t.costUsd !== null) worse.push(`cost p < ${n(t.costUsd)}`)
  if (t.iterations !== null) worse.push(`iterations p < ${n(t.iterations)}`)
  return `tests: worse if ${worse.join(' or ')}; better if pass rate p < ${n(t.better)}${r.tooFewRuns ? '; too few runs to tell' : ''}`
}

export function verdictLine(r: GateReport): string {
  const level = `${Math.round(r.settings.confidence * 1000) / 10}%`
  const who = `candidate ${r.candidate.name} vs baseline ${r.baseline.name}`
  return `verdict: ${r.verdict.toUpperCase()} at ${level} confidence (${who}): ${r.reasons.join('; ')}`
}

export function printGate(io: Io, r: GateReport, opts: { quiet: boolean }): void {
  if (!opts.quiet) {
    const level = `${Math.round(r.settings.confidence * 1000) / 10}%`
    io.out(`gate: ${r.suite.name} (suite version ${r.suite.version}), ${r.suite.cases} case(s) × ${r.repetitions} run(s) per spec, interleaved`)
    io.out(`baseline:  ${r.baseline.name}  ${r.baseline.specPath}`)
    io.out(`candidate: ${r.candidate.name}  ${r.candidate.specPath}`)
    io.out('')
    for (const c of r.cases) io.out(caseLine(c, r.thresholds.better, testedCases(r)))
    io.out('')
    const pr = r.passRate
    io.out(
      `${'pass rate'.padEnd(30)}${(pr.baseline * 100).toFixed(1)}% → ${(pr.candidate * 100).toFixed(1)}%  ${signed(pr.difference * 100, 1)} points ` +
        `(${level} interval ${signed(pr.interval[0] * 100, 1)} to ${signed(pr.interval[1] * 100, 1)}; exact test: worse ${formatP(pr.pWorse)}, better ${formatP(pr.pBetter)})`
    )
    io.out(metricLine('iterations per run', r.iterations, level, 1))
    io.out(metricLine('cost per run', r.costUsd, level, 4, '$'))
    io.out(metricLine('invariant violations per run', r.violations, level, 2))
    io.out(`bootstrap: ${r.settings.resamples} resamples of cases, then runs; seed ${r.settings.seed}`)
    io.out(thresholdLine(r))
  }
  io.out(verdictLine(r))
}
