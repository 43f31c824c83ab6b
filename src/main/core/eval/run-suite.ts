/** `andon eval SUITE` in the core: one spec over every case of a suite, then the suite's metrics. */
import { basename } from 'node:path'
import type { EvalReport, EvalRunResult } from '../../../shared/eval'
import { evaluate } from './metrics'
import { runCase, tagSafe, type EvalCore, type EvalTarget } from './run-case'
import { EvalInputError, type LoadedSuite } from './suite'

export interface RunProgress {
  /** 1-based position among all runs of this eval. */
  index: number
  total: number
  caseName: string
  repetition: number
}

export interface SuiteRunOptions {
  /** Runs per case (default: the suite's `repetitions`, else 1). */
  repetitions?: number
  /** Archive each run once it stops (default true). */
  archive?: boolean
  onRun?(p: RunProgress): void
  onLaunched?(loopId: string): void
}

/** A run that could not be carried out (not a run that failed its case), named by its case. */
export class EvalRunError extends Error {}

export function caseFailure(caseName: string, err: unknown): Error {
  if (err instanceof EvalInputError) return err
  return new EvalRunError(`case ${caseName}: ${(err as Error).message}`, { cause: err })
}

/** The suite's short name for tags: its name, else its file name. */
export function suiteTag(suite: LoadedSuite, prefix: string): string {
  return `${prefix}:${tagSafe(suite.name ?? basename(suite.path), 40 - prefix.length - 1)}`
}

export async function runSuite(core: EvalCore, suite: LoadedSuite, target: EvalTarget, opts: SuiteRunOptions = {}): Promise<{ results: EvalRunResult[]; report: EvalReport }> {
  const repetitions = opts.repetitions ?? suite.repetitions ?? 1
  const total = suite.cases.length * repetitions
  const tags = ['eval', suiteTag(suite, 'suite')]
  const results: EvalRunResult[] = []
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    for (const c of suite.cases) {
      opts.onRun?.({ index: results.length + 1, total, caseName: c.name, repetition })
      try {
        results.push(await runCase(core, target, c, { repetition, timeoutSeconds: suite.timeoutSeconds, tags, archive: opts.archive ?? true, onLaunched: opts.onLaunched }))
      } catch (err) {
        throw caseFailure(c.name, err)
      }
    }
  }
  return { results, report: evaluate(results, suite.threshold) }
}
