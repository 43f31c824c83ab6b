/**
 * Contract commands for approval rules, autonomy and track records. Spread into the one
 * contract (src/shared/contract.ts); handlers in src/main/core/approvals/handlers.ts.
 */
import { z } from 'zod'
import { command } from './command'
import { LoopId } from './ids'
import type { LoopSummary } from './contract'
import { ActionSchema, ApprovalRulePattern } from './spec'

const SpecName = z.string().min(1).max(120)

export const RuleEffectSchema = z.enum(['allow', 'ask', 'deny'])

/** Where a rule applies: the loops of one spec (by name), or every loop of this Andon. */
export const RuleScopeSchema = z.union([z.object({ spec: SpecName }).strict(), z.literal('all')])
export type RuleScope = z.infer<typeof RuleScopeSchema>

/** One rule of the operator's rule set. Never deleted: a revoked rule stays listed with who revoked it and why. */
export interface ApprovalRule {
  id: number
  effect: 'allow' | 'ask' | 'deny'
  pattern: string
  scope: RuleScope
  by: string
  at: number
  why: string
  /** The inbox card it was made from ("always allow this"), if any. */
  from: { loopId: string; callId: string | null } | null
  revoked: { by: string; at: number; why: string } | null
}

/** "Always allow / deny this" on an approval card: the rule recorded with the decision. */
export const RememberSchema = z.object({ pattern: ApprovalRulePattern, scope: RuleScopeSchema, why: z.string().max(2000).optional() }).strict()

export const approvalCommands = {
  listApprovalRules: command<ApprovalRule[]>()(
    z.object({ specName: SpecName.optional(), includeRevoked: z.boolean().default(false) }).strict(),
    "The operator's approval rules, newest first: with specName, those that apply to that spec's loops (its own and the ones for every loop); with includeRevoked, revoked rules too."
  ),
  addApprovalRule: command<ApprovalRule>()(
    z
      .object({
        effect: RuleEffectSchema,
        pattern: ApprovalRulePattern,
        scope: RuleScopeSchema,
        why: z.string().max(2000).default(''),
        from: z.object({ loopId: LoopId, callId: z.string().min(1).max(300).optional() }).strict().optional()
      })
      .strict(),
    'Add an approval rule (allow: runs without asking whatever the mode; ask: always waits for the operator; deny: refused, never run), for one spec by name or every loop; it applies from the next proposed call, running loops included.'
  ),
  revokeApprovalRule: command<ApprovalRule>()(
    z.object({ id: z.number().int().positive(), why: z.string().max(2000).default('') }).strict(),
    'Revoke an approval rule: it stops applying from the next proposed call and stays listed with who revoked it and why.'
  ),
  ruleCoversCall: command<{ covers: boolean }>()(
    z.object({ loopId: LoopId, effect: RuleEffectSchema, pattern: ApprovalRulePattern, action: ActionSchema }).strict(),
    "Whether a rule of this effect and pattern would match this call in the loop's workspace, by the gate's own matcher: the inbox checks the rule it is about to add against the call it decides."
  ),
  answerCall: command<LoopSummary>()(
    z
      .object({
        loopId: LoopId,
        callId: z.string().min(1),
        ok: z.boolean(),
        answer: z.string().min(1).max(20_000),
        expectedVersion: z.number().int().min(0).optional()
      })
      .strict(),
    "Answer a waiting call instead of running it (a suggestion under suggest-only, or any call waiting for approval): the answer is recorded as the call's outcome and the policy goes on from it. An answered call never counts as the success tool passing."
  )
} as const
