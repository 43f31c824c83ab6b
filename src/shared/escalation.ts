/**
 * The escalation packet: everything an operator needs to decide, gathered when a loop stops
 * for a human. It is recorded as an Escalated event, so it survives restarts.
 */
import { z } from 'zod'
import { ActionSchema, TerminationReason } from './spec'
import { PatchOpSchema } from './patch'
import { RootCauseSchema } from './root-cause'

export const EscalationKind = z.enum(['invariant', 'approval', 'budget', 'outcome-unknown', 'error'])
export type EscalationKind = z.infer<typeof EscalationKind>

export const SuggestedIntervention = z.object({
  label: z.string(),
  /** A ready-made patch; absent for interventions that are plain commands (abort, retry). */
  ops: z.array(PatchOpSchema).optional(),
  /**
   * A plain command: resume, abort, approve or reject the held call; for an interrupted call,
   * `happened` / `not-happened` (continue without re-running it) or `retry`; `set-daily-budget`
   * raises the limit to `dailyBudgetUsd` (then resumes).
   */
  command: z.enum(['resume', 'abort', 'approve', 'reject', 'retry', 'happened', 'not-happened', 'set-daily-budget']).optional(),
  dailyBudgetUsd: z.number().positive().optional()
})
export type SuggestedIntervention = z.infer<typeof SuggestedIntervention>

export const EscalationPacketSchema = z.object({
  id: z.string(),
  loopId: z.string(),
  kind: EscalationKind,
  iteration: z.number().int().min(0),
  summary: z.string(),
  /** The state as it was when the loop stopped (the editable part plus counters). */
  stateSnapshot: z.record(z.string(), z.unknown()),
  failingInvariants: z.array(
    z.object({
      name: z.string(),
      detail: z.string(),
      remediation: z.string(),
      /** ok/failed per iteration, oldest first. */
      history: z.array(z.object({ iteration: z.number().int(), ok: z.boolean() }))
    })
  ),
  confidenceTrajectory: z.array(z.object({ iteration: z.number().int(), confidence: z.number() })),
  reasoningTrail: z.array(
    z.object({
      iteration: z.number().int(),
      action: ActionSchema,
      subgoal: z.string(),
      rationale: z.string(),
      prompt: z.unknown().optional(),
      response: z.unknown().optional(),
      /** How the step ended: its observation, its rejection, or its failed decision (absent: it had not ended, or the packet predates results). */
      result: z.object({ ok: z.boolean(), summary: z.string(), exitCode: z.number().int().nullable() }).optional()
    })
  ),
  /** For approvals: the call waiting for a decision. */
  pendingCall: z
    .object({ callId: z.string(), action: ActionSchema, risk: z.string() })
    .optional(),
  suggestions: z.array(SuggestedIntervention),
  /** What an abort of this escalation records as the loop's termination. */
  abortReason: TerminationReason,
  /** The likely root cause, classified from the recorded history when the loop stopped. */
  rootCause: RootCauseSchema.optional()
})
export type EscalationPacket = z.infer<typeof EscalationPacketSchema>
