/** The gate's report as a CI log: who was compared, one line per case, the overall differences, and a verdict line. */
import type { GateCaseRow, GateReport, LimitedMetricDifference, MetricDifference } from '../../shared/eval'
import { caseMark, caseP, confidenceText, formatP, intervalText, limitText, signed, testedCases, thresholdsText } from '../../shared/eval-format'
import type { Io } from '../io'

function caseLine(c: GateCaseRow, r: GateReport): string {
  const b = c.baseline
  const k = c.candidate
  const mark = caseMark(c, r.thresholds)
  const expected = c.expected === 'SUCCESS' ? '' : ` (expects ${c.expected})`
  const p = caseP(c, testedCases(r))
  const label = c.label ? ` [${c.label}]` : ''
  return (
    `${(mark === 'worse' ? 'WORSE' : mark).padEnd(6)}  ${c.name}${label}${expected}: passed ${b.passes}/${b.runs} → ${k.passes}/${k.runs}${p ? ` (${p})` : ''}; ` +
    `iterations ${b.meanIterations.toFixed(1)} → ${k.meanIterations.toFixed(1)}; cost $${b.meanCostUsd.toFixed(4)} → $${k.meanCostUsd.toFixed(4)}`
  )
}

function metricLine(title: string, d: MetricDifference | LimitedMetricDifference, level: string, digits: number, unit = ''): string {
  const limit = limitText(d, digits, unit)
  return (
    `${title.padEnd(30)}${unit}${d.baseline.toFixed(digits)} → ${unit}${d.candidate.toFixed(digits)}  ` +
    `${signed(d.difference, digits, unit)} (${level} interval ${intervalText(d, digits, unit)}${limit ? `; ${limit}` : ''})`
  )
}

export function verdictLine(r: GateReport): string {
  const who = `candidate ${r.candidate.name} vs baseline ${r.baseline.name}`
  return `verdict: ${r.verdict.toUpperCase()} at ${confidenceText(r.settings.confidence)} confidence (${who}): ${r.reasons.join('; ')}`
}

export function printGate(io: Io, r: GateReport, opts: { quiet: boolean }): void {
  if (!opts.quiet) {
    const level = confidenceText(r.settings.confidence)
    io.out(`gate: ${r.suite.name} (suite version ${r.suite.version}), ${r.suite.cases} case(s) × ${r.repetitions} run(s) per spec, interleaved`)
    io.out(`baseline:  ${r.baseline.name}  ${r.baseline.specPath}`)
    io.out(`candidate: ${r.candidate.name}  ${r.candidate.specPath}`)
    io.out('')
    for (const c of r.cases) io.out(caseLine(c, r))
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
    io.out(thresholdsText(r))
  }
  io.out(verdictLine(r))
}
