/**
 * Read loop spec files (YAML or JSON) into validated specs, with errors that name the field.
 */
import { readFile, readdir } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { yaml } from '../lazy-packages'
import type { SpecEntry, ValidationResult } from '../../../shared/contract'
import { LoopSpecSchema, type LoopSpec } from '../../../shared/spec'
import { rulePatternProblems } from '../policies/rules'
import { celSpecProblems } from '../invariants/custom'
import { commandToolProblems, isCommandTool } from '../tools/command-tool'

export function validateSpecText(text: string): ValidationResult {
  let raw: unknown
  try {
    raw = yaml().parse(text, { prettyErrors: true, maxAliasCount: 100 })
  } catch (err) {
    const where = err instanceof yaml().YAMLParseError && err.linePos ? `line ${err.linePos[0].line}` : '(file)'
    return { ok: false, errors: [{ path: where, message: (err as Error).message.split('\n')[0] }] }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: [{ path: '(file)', message: 'a loop spec must be a mapping with name, task and policy' }] }
  }
  const parsed = LoopSpecSchema.safeParse(raw)
  if (parsed.success) {
    const problems = specProblems(parsed.data)
    return problems.length === 0 ? { ok: true, spec: parsed.data } : { ok: false, errors: problems }
  }
  return {
    ok: false,
    errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(spec)', message: i.message }))
  }
}

/** What the schema cannot see: patterns RE2 cannot compile, CEL that does not type-check, unusable tool input schemas. */
export function specProblems(spec: LoopSpec): { path: string; message: string }[] {
  return [
    ...(spec.policy.kind === 'rules' ? rulePatternProblems(spec.policy.rules) : []),
    ...celSpecProblems(spec),
    ...spec.tools.flatMap((t, i) => (isCommandTool(t) ? commandToolProblems(t, i) : []))
  ]
}

export class SpecError extends Error {
  /** A refused spec is the request's fault: shells answer it as a bad request. */
  readonly status = 400
  constructor(
    readonly source: string,
    readonly errors: { path: string; message: string }[]
  ) {
    super(`invalid loop spec ${source}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`)
  }
}

export async function loadSpecFile(path: string) {
  const result = validateSpecText(await readFile(path, 'utf8'))
  if (!result.ok) throw new SpecError(path, result.errors)
  return result.spec
}

/** Spec files in the given folders (top level only), valid or not: the list shows the error. */
export async function listSpecFiles(dirs: string[]): Promise<SpecEntry[]> {
  const out: SpecEntry[] = []
  for (const dir of dirs) {
    let names: string[]
    try {
      names = (await readdir(dir)).filter((n) => ['.yaml', '.yml', '.json'].includes(extname(n))).sort()
    } catch {
      continue
    }
    for (const name of names) {
      const path = join(dir, name)
      const text = await readFile(path, 'utf8')
      const v = validateSpecText(text)
      out.push({
        id: path,
        name: v.ok ? v.spec.name : basename(name, extname(name)),
        description: v.ok ? (v.spec.description ?? v.spec.task.split('\n')[0]) : '',
        path,
        text,
        error: v.ok ? null : v.errors.map((e) => `${e.path}: ${e.message}`).join('; ')
      })
    }
  }
  return out
}
