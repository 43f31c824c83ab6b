/**
 * Eval suites and the validation gate: the suite file format (cases a spec is run on, written
 * by hand or saved from real runs), what one run of a case yields, the suite report of
 * `andon eval SUITE`, and the comparison report of `andon eval --baseline A --candidate B SUITE`.
 * The CLI prints these; the GUI renders the same objects.
 */
import { z } from 'zod'
import { AutonomyMode, TerminationReason } from './spec'

/** How a run ended: a termination reason, or `escalated` when it stopped for an operator. */
export const EvalOutcome = z.union([TerminationReason, z.literal('escalated')])
export type EvalOutcome = z.infer<typeof EvalOutcome>

const RelativePath = z
  .string()
  .min(1)
  .refine((p) => !p.split(/[\\/]/).includes('..') && !p.startsWith('/') && !p.includes('\\'), 'must stay inside the workspace')

export const EvalCaseSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** Replaces the spec's task. */
    task: z.string().min(1).optional(),
    /** Start state: added to the loop's working memory before it starts. */
    facts: z.array(z.string().min(1).max(4000)).max(500).default([]),
    /** Start state: the loop's subgoal before its first decision. */
    subgoal: z.string().max(2000).optional(),
    /** Start state: working-memory entries (key → any JSON value). */
    memory: z.record(z.string().min(1).max(200), z.unknown()).default({}),
    /** A different workspace template folder (relative to the suite file). */
    workspace: z.string().min(1).optional(),
    /** Files written into the loop's own workspace before it starts (relative paths). */
    files: z.record(RelativePath, z.string()).default({}),
    maxIterations: z.number().int().positive().optional(),
    /**
     * The autonomy the case runs under (on both sides of a gate) instead of the spec's. An eval has
     * no operator: a call this mode gates stops the run, which then counts as `escalated`.
     */
    autonomy: AutonomyMode.optional(),
    /** The outcome that counts as passing this case (SUCCESS unless said otherwise). */
    expect: z.object({ outcome: EvalOutcome.default('SUCCESS') }).strict().prefault({}),
    /** The operator's name for what the case checks, and their words on what the right run does (shown in reports). */
    label: z.string().max(200).optional(),
    correction: z.string().max(4000).optional(),
    /** Where the case came from, when it was saved from a real run. */
    from: z
      .object({
        loopId: z.string().min(1).max(200),
        savedAt: z.iso.datetime({ offset: true }),
        by: z.string().min(1).max(200)
      })
      .strict()
      .optional()
  })
  .strict()
export type EvalCase = z.output<typeof EvalCaseSchema>
export type EvalCaseInput = z.input<typeof EvalCaseSchema>

export interface Threshold {
  /** Minimum share of runs ending in SUCCESS. */
  convergenceRate?: number
  /** Minimum share of runs whose outcome is the one their case expects. */
  passRate?: number
  /** Maximum share of iterations with a failing invariant. */
  maxInvariantViolationRate?: number
  maxCostPerConvergence?: number
  maxIterationsToConvergence?: number
}

/** A bare number is the minimum convergence rate. */
export const ThresholdSchema = z
  .union([
    z.number().min(0).max(1),
    z
      .object({
        convergenceRate: z.number().min(0).max(1).optional(),
        passRate: z.number().min(0).max(1).optional(),
        maxInvariantViolationRate: z.number().min(0).max(1).optional(),
        maxCostPerConvergence: z.number().min(0).optional(),
        maxIterationsToConvergence: z.number().positive().optional()
      })
      .strict()
  ])
  .transform((t): Threshold => (typeof t === 'number' ? { convergenceRate: t } : t))

/** What the validation gate tolerates, and how sure it must be before it calls a difference. */
export const GateSettingsSchema = z
  .object({
    /** How sure the gate must be before it says `worse` or `better` (and the level of every interval). */
    confidence: z.number().min(0.5).max(0.999).default(0.95),
    /** A drop in pass rate (0..1) the candidate may have and still not be `worse`. */
    maxPassRateDrop: z.number().min(0).max(1).default(0),
    /** USD per run the candidate may cost more before it is `worse` (unset: cost never makes it worse). */
    maxCostIncrease: z.number().min(0).optional(),
    /** Iterations per run the candidate may take more before it is `worse` (unset: never). */
    maxIterationsIncrease: z.number().min(0).optional(),
    /** Seed of the bootstrap, so a report can be reproduced exactly. */
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
    /** Bootstrap resamples per interval. */
    resamples: z.number().int().min(100).max(100_000).default(2000)
  })
  .strict()
  .prefault({})
export type GateSettings = z.output<typeof GateSettingsSchema>

export const EvalSuiteSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    /** Bumped by whoever adds or changes a case, so reports say which cases they ran. */
    version: z.number().int().min(1).default(1),
    /** The loop spec file (relative to the suite file); the gate takes its two specs from the command line instead. */
    spec: z.string().min(1).optional(),
    /** Default: every run passes (its case's expected outcome; SUCCESS unless said, so old suites read as before). */
    threshold: ThresholdSchema.default({ passRate: 1 }),
    /** Runs per case: `andon eval` defaults to 1, the gate to 5. */
    repetitions: z.number().int().min(1).max(100).optional(),
    gate: GateSettingsSchema,
    /** Per run; a run taking longer is cancelled and counts as not converged. */
    timeoutSeconds: z.number().positive().max(86_400).default(600),
    cases: z.array(EvalCaseSchema).min(1).max(1000)
  })
  .strict()
export type EvalSuite = z.output<typeof EvalSuiteSchema>
export type EvalSuiteInput = z.input<typeof EvalSuiteSchema>

/** One run of one case. */
export interface EvalRunResult {
  /** The case's name. */
  name: string
  /** 1-based, per case and spec. */
  repetition: number
  loopId: string
  outcome: EvalOutcome
  expected: EvalOutcome
  /** The outcome is the one the case expects. */
  passed: boolean
  /** Termination reason as recorded (a run stopped for an operator is cancelled afterwards). */
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

/** The metrics of `andon eval SUITE`, and whether they meet the suite's threshold. */
export interface EvalReport {
  /** Runs (cases × repetitions). */
  cases: number
  converged: number
  convergenceRate: number
  /** Runs whose outcome matched their case's expectation. */
  matched: number
  passRate: number
  /** Over converged runs only; null when none converged. */
  iterationsToConvergence: { mean: number; median: number; max: number } | null
  invariantViolationRate: number
  /** All spend divided by the runs that converged; null when none did. */
  costPerConvergence: number | null
  totalCostUsd: number
  totalTokens: number
  passed: boolean
  /** Each threshold that was missed, in words. */
  failures: string[]
}

export type GateVerdict = 'worse' | 'better' | 'no difference'
export type GateSideName = 'baseline' | 'candidate'

/** One of the two specs the gate compares, named by its version label or else its file name. */
export interface GateSide {
  /** `label` when the spec has a `version`, else the file name. */
  name: string
  specPath: string
  specName: string
  version: string | null
  /** The spec's `policy.system` instructions, when it has them. */
  system: string | null
}

/** A candidate-minus-baseline difference with its bootstrap interval at the gate's confidence. */
export interface MetricDifference {
  baseline: number
  candidate: number
  difference: number
  interval: [number, number]
}

/** Cost or iterations per run: the difference, and its test against the suite's limit when it sets one. */
export interface LimitedMetricDifference extends MetricDifference {
  /** The increase the suite tolerates (null: none set, so this metric never makes the candidate worse). */
  limit: number | null
  /** Chance of an increase this large if the candidate were worse by exactly the limit (a permutation test; null without a limit). */
  pOverLimit: number | null
}

/** The p-value each test had to be under: 1 − confidence shared among the tests that can call the candidate worse. */
export interface GateThresholds {
  /** The overall pass-rate test. */
  passRate: number
  /** Each case's Holm-corrected test. */
  perCase: number
  costUsd: number | null
  iterations: number | null
  /** The overall pass-rate test for `better`. */
  better: number
}

/** The pass-rate difference, with the exact test's one-sided p-values. */
export interface PassRateDifference extends MetricDifference {
  /** Chance of a drop at least this large if the two specs were the same (small: the candidate passes less). */
  pWorse: number
  /** Chance of a gain at least this large if the two specs were the same. */
  pBetter: number
}

export interface GateSideCase {
  passes: number
  runs: number
  meanIterations: number
  meanCostUsd: number
  /** Mean iterations with a failing invariant, per run. */
  meanViolations: number
  /** Each run's outcome, in order. */
  outcomes: EvalOutcome[]
}

export interface GateCaseRow {
  name: string
  label: string | null
  correction: string | null
  expected: EvalOutcome
  baseline: GateSideCase
  candidate: GateSideCase
  /** Fisher's exact test on this case alone (one-sided each way). */
  pWorse: number
  pBetter: number
  /** The same after Holm's correction over the cases that can show a difference (1 for a case every run passed, or every run failed). */
  pWorseAdjusted: number
  pBetterAdjusted: number
  /** The candidate is worse on this case (a regression the verdict counts, whatever the other cases do). */
  worse: boolean
}

export interface GateReport {
  suite: { name: string; path: string; version: number; cases: number }
  baseline: GateSide
  candidate: GateSide
  repetitions: number
  settings: GateSettings
  passRate: PassRateDifference
  /** Per run. */
  iterations: LimitedMetricDifference
  costUsd: LimitedMetricDifference
  /** Iterations with a failing invariant, per run. */
  violations: MetricDifference
  cases: GateCaseRow[]
  thresholds: GateThresholds
  /** These runs could not show the candidate worse whatever their outcomes: add repetitions (a reason says how many). */
  tooFewRuns: boolean
  verdict: GateVerdict
  /** Why the verdict is what it is, in words. */
  reasons: string[]
  runs: (EvalRunResult & { side: GateSideName })[]
}
