/**
 * The checks on what a part's events mean, beyond their schemas: ids inside the bundle
 * rewritten to the ids the loops get here, and the state the fold reaches. The fold never
 * throws, so the state it reaches is what is checked: the app, the loop list and `andon ls`
 * show exactly that state.
 */
import { ForkStartStateSchema, type LoopEvent } from '../../../shared/events'
import { EditableStateSchema } from '../../../shared/patch'
import { editableState, type LoopState } from '../../../shared/state'
import { summarize } from '../../../shared/summary'
import { BundleImportError } from './unzip'

/** Original loop id → its id in the store. */
export type IdMap = ReadonlyMap<string, string>

export function issuesText(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ')
}

/** Rewrite ids that point inside the bundle, and mark every loop read-only. */
export function rewrite(ev: LoopEvent, ids: IdMap): LoopEvent {
  if (ev.type === 'LoopCreated') {
    const d = ev.data
    const policy = d.spec.policy.kind === 'replay' && ids.has(d.spec.policy.sourceLoopId)
      ? { ...d.spec.policy, sourceLoopId: ids.get(d.spec.policy.sourceLoopId)! }
      : d.spec.policy
    // A parent outside the bundle does not exist here; the fork's start state carries what it needs.
    const parentLoopId = d.parentLoopId && ids.has(d.parentLoopId) ? ids.get(d.parentLoopId)! : null
    return { ...ev, data: { ...d, spec: { ...d.spec, policy }, parentLoopId, readOnly: true } }
  }
  if (ev.type === 'Forked' && ids.has(ev.data.childLoopId)) {
    return { ...ev, data: { ...ev.data, childLoopId: ids.get(ev.data.childLoopId)! } }
  }
  return ev
}

function invalid(where: string, detail: string): BundleImportError {
  return new BundleImportError(`${where}: the events do not fold to a valid state: ${detail}`)
}

/** What an operator edits: checked after the events that set it (LoopCreated, StatePatched). */
export function checkEditable(state: LoopState, where: string): void {
  const editable = EditableStateSchema.safeParse(editableState(state))
  if (!editable.success) throw invalid(where, issuesText(editable.error.issues))
}

/** The rest of what a fork starts from (its types, not its size caps). */
const CountersSchema = ForkStartStateSchema.pick({ iteration: true, usage: true, lastObservation: true, lastProgressIteration: true, lastConfidence: true }).required()

/** Counters and the loop-list row: checked after LoopCreated and once the whole part is folded. */
export function checkFolded(state: LoopState, where: string): void {
  const counters = CountersSchema.safeParse(state)
  if (!counters.success) throw invalid(where, issuesText(counters.error.issues))
  for (const [field, value] of Object.entries(summarize(state))) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw invalid(where, `${field} is not a finite number`)
  }
}
