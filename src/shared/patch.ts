/**
 * State patches: what an operator may change in a paused or escalated loop.
 * Every patch is validated against the editable-state schema before it is recorded.
 */
import { z } from 'zod'
import { AutonomyMode, CustomInvariantSpec, InvariantsSpec } from './spec'

/** The part of loop state an operator edits; the raw JSON editor shows exactly this. */
export const EditableStateSchema = z
  .object({
    subgoal: z.string().max(2000),
    facts: z.array(z.string().min(1).max(4000)).max(500),
    memory: z.record(z.string(), z.unknown()),
    invariants: InvariantsSpec
  })
  .strict()
export type EditableState = z.infer<typeof EditableStateSchema>

export const InvariantName = z.enum([
  'maxIterations',
  'progressEvery',
  'sameActionLimit',
  'toolErrorStreak',
  'confidenceFloor'
])

export const PatchOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('addFact'), fact: z.string().min(1).max(4000) }),
  z.object({ op: z.literal('removeFact'), fact: z.string().min(1) }),
  z.object({ op: z.literal('setSubgoal'), subgoal: z.string().max(2000) }),
  z.object({ op: z.literal('setInvariant'), name: InvariantName, value: z.number() }),
  z.object({
    op: z.literal('setBudget'),
    budget: z.object({ tokens: z.number().int().positive().optional(), usd: z.number().positive().optional(), seconds: z.number().positive().optional() }).strict()
  }),
  /** What failing one of the spec's own invariants does from now on (`warn` only records it). */
  z.object({ op: z.literal('setSeverity'), name: z.string().min(1).max(100), severity: CustomInvariantSpec.shape.severity.unwrap() }),
  z.object({ op: z.literal('setMemory'), key: z.string().min(1).max(200), value: z.unknown() }),
  z.object({ op: z.literal('deleteMemory'), key: z.string().min(1) }),
  /**
   * Change the loop's autonomy mode from the next proposed call on (a call already waiting keeps
   * waiting). A patch of only these ops may be recorded while the loop runs.
   */
  z.object({ op: z.literal('setAutonomy'), mode: AutonomyMode }),
  /** Replace the whole editable state (the raw JSON view). */
  z.object({ op: z.literal('replace'), value: EditableStateSchema })
])
export type PatchOp = z.infer<typeof PatchOpSchema>

export const StatePatchSchema = z.object({ ops: z.array(PatchOpSchema).min(1).max(100) })
export type StatePatch = z.infer<typeof StatePatchSchema>

