/**
 * Eval suites: one loop spec run over many cases, each patching the task, the facts or the
 * workspace, with thresholds that decide whether the suite passes (eval as CI).
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { CliError } from '../io'

const RelativePath = z
  .string()
  .min(1)
  .refine((p) => !p.split(/[\\/]/).includes('..') && !p.startsWith('/') && !p.includes('\\'), 'must stay inside the workspace')

export const EvalCaseSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** Replaces the spec's task. */
    task: z.string().min(1).optional(),
    /** Added to the loop's working memory before it starts. */
    facts: z.array(z.string().min(1).max(4000)).max(500).default([]),
    /** A different workspace template folder (relative to the suite file). */
    workspace: z.string().min(1).optional(),
    /** Files written into the loop's own workspace before it starts (relative paths). */
    files: z.record(RelativePath, z.string()).default({}),
    maxIterations: z.number().int().positive().optional()
  })
  .strict()
export type EvalCase = z.infer<typeof EvalCaseSchema>

export interface Threshold {
  /** Minimum share of cases ending in SUCCESS. */
  convergenceRate?: number
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
        maxInvariantViolationRate: z.number().min(0).max(1).optional(),
        maxCostPerConvergence: z.number().min(0).optional(),
        maxIterationsToConvergence: z.number().positive().optional()
      })
      .strict()
  ])
  .transform((t): Threshold => (typeof t === 'number' ? { convergenceRate: t } : t))

export const EvalSuiteSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** The loop spec file (relative to the suite file). */
    spec: z.string().min(1),
    threshold: ThresholdSchema.default({ convergenceRate: 1 }),
    /** Per case; a case running longer is cancelled and counts as not converged. */
    timeoutSeconds: z.number().positive().max(86_400).default(600),
    cases: z.array(EvalCaseSchema).min(1).max(1000)
  })
  .strict()
export type EvalSuite = z.output<typeof EvalSuiteSchema>

export interface LoadedSuite extends EvalSuite {
  path: string
  specPath: string
}

export async function loadSuite(path: string): Promise<LoadedSuite> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  let raw: unknown
  try {
    raw = parseYaml(text, { maxAliasCount: 100 })
  } catch (err) {
    throw new CliError(`${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`)
  }
  const parsed = EvalSuiteSchema.safeParse(raw)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(suite)'}: ${i.message}`).join('; ')
    throw new CliError(`invalid eval suite ${path}: ${issues}`)
  }
  const names = parsed.data.cases.map((c) => c.name)
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup) throw new CliError(`invalid eval suite ${path}: case "${dup}" appears twice`)
  const base = dirname(path)
  return {
    ...parsed.data,
    cases: parsed.data.cases.map((c) => (c.workspace ? { ...c, workspace: resolve(base, c.workspace) } : c)),
    path,
    specPath: resolve(base, parsed.data.spec)
  }
}
