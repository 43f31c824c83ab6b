/** Loading the spec an eval runs, with the same checks as a launch, so a bad spec stops the eval before any run. */
import { basename } from 'node:path'
import type { GateSide } from '../../../shared/eval'
import { loadSpecFile, SpecError } from '../specs/load-spec'
import { commandProblems } from './no-commands'
import type { EvalCore, EvalTarget } from './run-case'
import { EvalInputError } from './suite'

export interface LoadedTarget extends EvalTarget {
  /** Problems that limit the loop without stopping it (`path: message`). */
  warnings: string[]
}

export interface TargetOptions {
  /** Refuse a spec that could start any program (`andon eval --no-commands`): see no-commands.ts. */
  noCommands?: boolean
}

export async function loadTarget(core: EvalCore, specPath: string, opts: TargetOptions = {}): Promise<LoadedTarget> {
  let spec
  try {
    spec = await loadSpecFile(specPath)
  } catch (err) {
    if (err instanceof SpecError) throw new EvalInputError(err.message)
    const code = (err as NodeJS.ErrnoException).code
    throw new EvalInputError(`cannot read ${specPath}: ${code ?? (err as Error).message}`)
  }
  const starts = opts.noCommands ? commandProblems(spec) : []
  if (starts.length) throw new EvalInputError(`${specPath} could start programs, which --no-commands refuses:${starts.map((p) => `\n  ${p.path}: ${p.message}`).join('')}`)
  const { errors, warnings } = await core.supervisor.preflight(spec, specPath)
  if (errors.length) throw new EvalInputError(`cannot launch ${specPath}:${errors.map((p) => `\n  ${p.path}: ${p.message}`).join('')}`)
  return { spec, specPath, warnings: warnings.map((w) => `${w.path}: ${w.message}`) }
}

/** How a report names a spec: its version label, else its file name. */
export function describeSide(t: EvalTarget): GateSide {
  const system = t.spec.policy.kind === 'anthropic' ? (t.spec.policy.system ?? null) : null
  return { name: t.spec.version ?? basename(t.specPath), specPath: t.specPath, specName: t.spec.name, version: t.spec.version ?? null, system }
}

/** The two sides, named apart: on a tie a label adds its file name, and a file name becomes the whole path. */
export function describeSides(baseline: EvalTarget, candidate: EvalTarget): { baseline: GateSide; candidate: GateSide } {
  const b = describeSide(baseline)
  const c = describeSide(candidate)
  if (b.name !== c.name) return { baseline: b, candidate: c }
  const named = (s: GateSide) => ({ ...s, name: s.version === null ? s.specPath : `${s.name} (${basename(s.specPath)})` })
  return { baseline: named(b), candidate: named(c) }
}
