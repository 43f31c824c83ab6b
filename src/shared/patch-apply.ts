/**
 * Patches applied for deciding (the supervisor's and the commands' checks, the patch editor's
 * preview): validated against the editable-state schema. Kept apart from state.ts, whose fold runs
 * in the first page of the control room, so the schema's validator loads only where a patch is made.
 */
import { EditableStateSchema, type EditableState, type StatePatch } from './patch'
import { applyOps, autonomyAfter, editableState, onlySetsAutonomy, PatchError, withEditable, type LoopState } from './state'

/**
 * Apply a patch to the editable part of state; the result is validated as a whole,
 * so a patch either applies completely or throws PatchError naming each bad field.
 */
export function patchEditable(current: EditableState, patch: StatePatch): EditableState {
  patch.ops.forEach((op, i) => {
    if (op.op === 'setSeverity' && !current.invariants.custom.some((c) => c.name === op.name)) {
      throw new PatchError(`invalid state patch: ops.${i}.name: the loop has no invariant of its own named "${op.name}"`, [{ path: `ops.${i}.name`, message: `no custom invariant "${op.name}"` }])
    }
  })
  const next = applyOps(current, patch)
  const parsed = EditableStateSchema.safeParse(next)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
    throw new PatchError(`invalid state patch: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues)
  }
  return parsed.data
}

/** Validate and apply a patch (throws PatchError naming each bad field); for deciding, not folding. */
export function applyPatch(s: LoopState, patch: StatePatch): LoopState {
  const autonomy = autonomyAfter(s.autonomy, patch)
  if (onlySetsAutonomy(patch)) return { ...s, autonomy }
  return { ...withEditable(s, patchEditable(editableState(s), patch)), autonomy }
}
