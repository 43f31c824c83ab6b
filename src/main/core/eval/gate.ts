/**
 * The validation gate: two versions of a loop (baseline and candidate spec files) run on the
 * same cases, several repetitions each, interleaved (baseline, candidate, baseline, …) so that
 * drift in a provider or a machine hits both alike; then the comparison, per case and overall,
 * with each difference's uncertainty and a verdict at the suite's confidence.
 */
import type { EvalRunResult, GateCaseRow, GateReport, GateSettings, GateSide, GateSideCase, GateSideName, LimitedMetricDifference, MetricDifference } from '../../../shared/eval'
import { runCase, type EvalCore, type EvalTarget } from './run-case'
import { caseFailure, suiteTag, type RunProgress } from './run-suite'
import { bootstrapDifference, fisherExact, permutationOverLimit, pooledMean, stratifiedExact, type PairedCase } from './stats'
import { suiteName, type LoadedSuite } from './suite'
import { decideVerdict } from './verdict'
import { describeSides } from './targets'

export const DEFAULT_GATE_REPETITIONS = 5

export type GateRun = EvalRunResult & { side: GateSideName }

export interface GateOptions {
  /** Runs per case and spec (default: the suite's `repetitions`, else 5). */
  repetitions?: number
  /** Over the suite's own gate settings. */
  settings?: Partial<GateSettings>
  /** Archive each run once it stops (default true). */
  archive?: boolean
  onRun?(p: RunProgress & { side: GateSideName }): void
  onLaunched?(loopId: string, side: GateSideName): void
}

function sideCase(runs: GateRun[]): GateSideCase {
  const mean = (f: (r: GateRun) => number) => (runs.length ? runs.reduce((n, r) => n + f(r), 0) / runs.length : 0)
  return {
    passes: runs.filter((r) => r.passed).length,
    runs: runs.length,
    meanIterations: mean((r) => r.iterations),
    meanCostUsd: mean((r) => r.costUsd),
    meanViolations: mean((r) => r.iterationsWithViolation),
    outcomes: runs.map((r) => r.outcome)
  }
}

/** The comparison report from finished runs: pure, so the same runs always give the same report. */
export function compareRuns(input: {
  suite: LoadedSuite
  baseline: GateSide
  candidate: GateSide
  repetitions: number
  settings: GateSettings
  runs: GateRun[]
}): GateReport {
  const { suite, settings, runs } = input
  const bySide = (name: string, side: GateSideName) => runs.filter((r) => r.name === name && r.side === side)
  const perCase = suite.cases.map((c) => ({ c, baseline: bySide(c.name, 'baseline'), candidate: bySide(c.name, 'candidate') }))
  const missing = perCase.find((p) => p.baseline.length === 0 || p.candidate.length === 0)
  if (missing) throw new RangeError(`case ${missing.c.name} has no runs on one side`)

  const counts = perCase.map((p) => ({
    candidatePasses: p.candidate.filter((r) => r.passed).length,
    candidateRuns: p.candidate.length,
    baselinePasses: p.baseline.filter((r) => r.passed).length,
    baselineRuns: p.baseline.length
  }))
  const boot = { confidence: settings.confidence, resamples: settings.resamples, seed: settings.seed }
  const paired = (f: (r: GateRun) => number): PairedCase[] => perCase.map((p) => ({ baseline: p.baseline.map(f), candidate: p.candidate.map(f) }))
  const metric = (f: (r: GateRun) => number): MetricDifference => {
    const values = paired(f)
    return { baseline: pooledMean(values, 'baseline'), candidate: pooledMean(values, 'candidate'), ...bootstrapDifference(values, boot) }
  }
  // The bootstrap interval is shown; "worse by more than the limit" is decided by the permutation test.
  const limited = (f: (r: GateRun) => number, limit: number | undefined): LimitedMetricDifference => ({
    ...metric(f),
    limit: limit ?? null,
    pOverLimit: limit === undefined ? null : permutationOverLimit(paired(f), limit, { resamples: settings.resamples, seed: settings.seed })
  })
  const exact = stratifiedExact(counts)
  const passRate = { ...metric((r) => (r.passed ? 1 : 0)), pWorse: exact.less, pBetter: exact.greater }
  const iterations = limited((r) => r.iterations, settings.maxIterationsIncrease)
  const costUsd = limited((r) => r.costUsd, settings.maxCostIncrease)
  const violations = metric((r) => r.iterationsWithViolation)
  const exactPerCase = counts.map((c) => fisherExact(c))
  const decided = decideVerdict({
    passRate,
    cases: perCase.map((p, i) => ({ name: p.c.name, label: p.c.label ?? null, ...counts[i], pWorse: exactPerCase[i].less, pBetter: exactPerCase[i].greater })),
    iterations,
    costUsd,
    settings
  })
  const cases: GateCaseRow[] = perCase.map((p, i) => ({
    name: p.c.name,
    label: p.c.label ?? null,
    correction: p.c.correction ?? null,
    expected: p.c.expect.outcome,
    baseline: sideCase(p.baseline),
    candidate: sideCase(p.candidate),
    pWorse: exactPerCase[i].less,
    pBetter: exactPerCase[i].greater,
    ...decided.cases[i]
  }))
  return {
    suite: { name: suiteName(input.suite), path: suite.path, version: suite.version, cases: suite.cases.length },
    baseline: input.baseline,
    candidate: input.candidate,
    repetitions: input.repetitions,
    settings,
    passRate,
    iterations,
    costUsd,
    violations,
    cases,
    thresholds: decided.thresholds,
    tooFewRuns: decided.tooFewRuns,
    verdict: decided.verdict,
    reasons: decided.reasons,
    runs
  }
}

export async function runGate(core: EvalCore, suite: LoadedSuite, baseline: EvalTarget, candidate: EvalTarget, opts: GateOptions = {}): Promise<GateReport> {
  const repetitions = opts.repetitions ?? suite.repetitions ?? DEFAULT_GATE_REPETITIONS
  const settings: GateSettings = { ...suite.gate, ...opts.settings }
  const targets = { baseline, candidate }
  const total = suite.cases.length * repetitions * 2
  const runs: GateRun[] = []
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    for (const c of suite.cases) {
      for (const side of ['baseline', 'candidate'] as const) {
        opts.onRun?.({ index: runs.length + 1, total, caseName: c.name, repetition, side })
        const tags = ['eval', suiteTag(suite, 'gate'), `eval:${side}`]
        try {
          const run = await runCase(core, targets[side], c, {
            repetition,
            timeoutSeconds: suite.timeoutSeconds,
            tags,
            archive: opts.archive ?? true,
            onLaunched: (loopId) => opts.onLaunched?.(loopId, side)
          })
          runs.push({ ...run, side })
        } catch (err) {
          throw caseFailure(c.name, err)
        }
      }
    }
  }
  return compareRuns({ suite, ...describeSides(baseline, candidate), repetitions, settings, runs })
}
