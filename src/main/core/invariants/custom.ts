/**
 * The spec's own invariants and success predicate: CEL expressions over the loop's state, the
 * call and the last observation, checked at their phase with a time limit. An expression that
 * cannot be evaluated (a missing field, the time limit) fails: a guardrail fails closed.
 */
import type { InvariantResult } from '../../../shared/events'
import type { CustomInvariantSpec, LoopSpec } from '../../../shared/spec'
import { celContext, celProblem, describeCelProblem, type CelInputs } from './cel/environment'
import { celEvaluator, type CelEvaluator } from './cel/evaluator'
import { isBuiltinInvariant } from './registry'

/** The results of the spec's own invariants of one phase, and which of them could not be evaluated. */
export interface CustomCheck {
  results: InvariantResult[]
  /** Failed closed (a runtime error, the time limit): never a reason to terminate, only to ask. */
  unevaluated: Set<string>
}

export async function checkCustomInvariants(
  phase: CustomInvariantSpec['when'],
  inputs: CelInputs,
  evaluator: CelEvaluator = celEvaluator()
): Promise<CustomCheck> {
  const defs = inputs.state.invariants.custom.filter((c) => c.when === phase)
  if (defs.length === 0) return { results: [], unevaluated: new Set() }
  const outcomes = await evaluator.evaluate(
    defs.map((c) => c.expr),
    celContext(inputs)
  )
  const unevaluated = new Set<string>()
  const results = defs.map((c, i) => {
    const o = outcomes[i]
    if ('error' in o) unevaluated.add(c.name)
    const ok = 'value' in o && o.value
    const detail = 'error' in o ? `could not be evaluated (${o.error}): ${c.expr}` : o.value ? `holds: ${c.expr}` : `does not hold: ${c.expr}`
    return { name: c.name, ok, detail: detail.slice(0, 2000), remediation: c.remediation }
  })
  return { results, unevaluated }
}

/** Whether the spec's success predicate holds (null: the spec has none), and why it could not be evaluated. */
export async function successPredicate(inputs: CelInputs, evaluator: CelEvaluator = celEvaluator()): Promise<{ holds: boolean; error?: string } | null> {
  const expr = inputs.state.spec.termination.success
  if (!expr) return null
  const [o] = await evaluator.evaluate([expr], celContext(inputs))
  return 'error' in o ? { holds: false, error: o.error } : { holds: o.value }
}

/** Each CEL expression that does not compile or type-check, and each clashing invariant name, by field. */
export function celSpecProblems(spec: Pick<LoopSpec, 'invariants' | 'termination'>): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = []
  const seen = new Set<string>()
  spec.invariants.custom.forEach((c, i) => {
    if (isBuiltinInvariant(c.name)) out.push({ path: `invariants.custom.${i}.name`, message: `"${c.name}" is a built-in invariant: choose another name` })
    else if (seen.has(c.name)) out.push({ path: `invariants.custom.${i}.name`, message: `another invariant is already named "${c.name}"` })
    seen.add(c.name)
    const p = celProblem(c.expr)
    if (p) out.push({ path: `invariants.custom.${i}.expr`, message: describeCelProblem(p) })
  })
  const success = spec.termination.success
  const p = success === undefined ? null : celProblem(success)
  if (p) out.push({ path: 'termination.success', message: describeCelProblem(p) })
  return out
}
