/** Eval metrics over finished cases, and the verdict against the suite's threshold. */
import type { Threshold } from './suite'

export interface CaseResult {
  name: string
  loopId: string
  /** Termination reason, or null when the loop stopped for an operator (escalated, waiting). */
  reason: string | null
  status: string
  detail: string
  iterations: number
  /** Iterations whose invariant check ran, and how many of those had a failing invariant. */
  iterationsChecked: number
  iterationsWithViolation: number
  inputTokens: number
  outputTokens: number
  costUsd: number
}

export interface EvalReport {
  cases: number
  converged: number
  convergenceRate: number
  /** Over converged cases only; null when none converged. */
  iterationsToConvergence: { mean: number; median: number; max: number } | null
  invariantViolationRate: number
  /** All spend divided by the cases that converged; null when none did. */
  costPerConvergence: number | null
  totalCostUsd: number
  totalTokens: number
  passed: boolean
  /** Each threshold that was missed, in words. */
  failures: string[]
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`

export function evaluate(results: CaseResult[], threshold: Threshold): EvalReport {
  const ok = results.filter((r) => r.reason === 'SUCCESS')
  const checked = results.reduce((n, r) => n + r.iterationsChecked, 0)
  const violations = results.reduce((n, r) => n + r.iterationsWithViolation, 0)
  const totalCostUsd = results.reduce((n, r) => n + r.costUsd, 0)
  const its = ok.map((r) => r.iterations)
  const report: EvalReport = {
    cases: results.length,
    converged: ok.length,
    convergenceRate: results.length ? ok.length / results.length : 0,
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
