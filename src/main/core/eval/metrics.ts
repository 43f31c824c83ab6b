/** Suite metrics over finished runs, and the verdict against the suite's threshold. */
import type { EvalReport, EvalRunResult, Threshold } from '../../../shared/eval'

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`

export function evaluate(results: EvalRunResult[], threshold: Threshold): EvalReport {
  const ok = results.filter((r) => r.reason === 'SUCCESS')
  const matched = results.filter((r) => r.passed).length
  const checked = results.reduce((n, r) => n + r.iterationsChecked, 0)
  const violations = results.reduce((n, r) => n + r.iterationsWithViolation, 0)
  const totalCostUsd = results.reduce((n, r) => n + r.costUsd, 0)
  const its = ok.map((r) => r.iterations)
  const report: EvalReport = {
    cases: results.length,
    converged: ok.length,
    convergenceRate: results.length ? ok.length / results.length : 0,
    matched,
    passRate: results.length ? matched / results.length : 0,
    iterationsToConvergence: its.length
      ? { mean: its.reduce((a, b) => a + b, 0) / its.length, median: median(its), max: Math.max(...its) }
      : null,
    invariantViolationRate: checked ? violations / checked : 0,
    costPerConvergence: ok.length ? totalCostUsd / ok.length : null,
    totalCostUsd,
    totalTokens: results.reduce((n, r) => n + r.inputTokens + r.outputTokens, 0),
    passed: true,
    failures: []
  }
  const t = threshold
  if (t.convergenceRate !== undefined && report.convergenceRate < t.convergenceRate) {
    report.failures.push(`convergence rate ${pct(report.convergenceRate)} is under ${pct(t.convergenceRate)}`)
  }
  if (t.passRate !== undefined && report.passRate < t.passRate) {
    report.failures.push(`pass rate ${pct(report.passRate)} is under ${pct(t.passRate)}`)
  }
  if (t.maxInvariantViolationRate !== undefined && report.invariantViolationRate > t.maxInvariantViolationRate) {
    report.failures.push(`invariant-violation rate ${pct(report.invariantViolationRate)} is over ${pct(t.maxInvariantViolationRate)}`)
  }
  if (t.maxCostPerConvergence !== undefined && (report.costPerConvergence ?? Infinity) > t.maxCostPerConvergence) {
    report.failures.push(`cost per convergence ${report.costPerConvergence === null ? '(none converged)' : `$${report.costPerConvergence.toFixed(4)}`} is over $${t.maxCostPerConvergence}`)
  }
  if (t.maxIterationsToConvergence !== undefined && (report.iterationsToConvergence?.mean ?? Infinity) > t.maxIterationsToConvergence) {
    report.failures.push(`mean iterations to convergence ${report.iterationsToConvergence?.mean.toFixed(1) ?? '(none converged)'} is over ${t.maxIterationsToConvergence}`)
  }
  report.passed = report.failures.length === 0
  return report
}
