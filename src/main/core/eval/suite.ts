/**
 * Reading eval suite files: YAML (or JSON) checked against the suite schema, with case
 * workspaces and the suite's spec resolved against the suite file's folder.
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { yaml } from '../lazy-packages'
import { EvalSuiteSchema, type EvalSuite } from '../../../shared/eval'

/** Bad input to an eval (an unreadable or invalid suite, a case that cannot be set up): the caller's to fix. */
export class EvalInputError extends Error {
  readonly status = 400
}

export interface LoadedSuite extends EvalSuite {
  path: string
  /** The suite's own spec, resolved; null when it names none (the gate is given two). */
  specPath: string | null
}

export function parseSuite(text: string, path: string): LoadedSuite {
  let raw: unknown
  try {
    raw = yaml().parse(text, { maxAliasCount: 100 })
  } catch (err) {
    throw new EvalInputError(`${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`)
  }
  const parsed = EvalSuiteSchema.safeParse(raw)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(suite)'}: ${i.message}`).join('; ')
    throw new EvalInputError(`invalid eval suite ${path}: ${issues}`)
  }
  const names = parsed.data.cases.map((c) => c.name)
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup) throw new EvalInputError(`invalid eval suite ${path}: case "${dup}" appears twice`)
  const base = dirname(path)
  return {
    ...parsed.data,
    cases: parsed.data.cases.map((c) => (c.workspace ? { ...c, workspace: resolve(base, c.workspace) } : c)),
    path,
    specPath: parsed.data.spec ? resolve(base, parsed.data.spec) : null
  }
}

export async function loadSuite(path: string): Promise<LoadedSuite> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new EvalInputError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  return parseSuite(text, path)
}

/** The suite's name for reports and tags: its `name`, else its path. */
export function suiteName(suite: Pick<LoadedSuite, 'name' | 'path'>): string {
  return suite.name ?? suite.path
}
