/**
 * The one table of invariants, built-in and the spec's own: for each, what it holds the loop to,
 * what failing does (escalate, terminate, or only record), which termination an abort records,
 * which kind of escalation it raises, which policy failures it stands for, and what the packet
 * suggests. The engine, the packet and the screens ask this table, never their own copies.
 */
import type { EscalationKind, SuggestedIntervention } from '../../../shared/escalation'
import type { TerminationReason } from '../../../shared/events'
import type { CustomInvariantSpec } from '../../../shared/spec'
import type { LoopState } from '../../../shared/state'
import type { PolicyErrorKind } from '../policies/policy'
import * as suggest from './suggestions'

/** Escalate to an operator, terminate at once, or only record the failure (a warning). */
export type FailureAction = 'escalate' | 'terminate' | 'record'

export interface SuggestionContext {
  state: LoopState
  /** The daily limit and today's spend, when the daily budget stopped the loop. */
  daily?: { limitUsd: number | null; spentTodayUsd: number }
}

export interface InvariantDef {
  name: string
  /** What the invariant holds the loop to, in a sentence. */
  holds: string
  remediation: string
  onFail: FailureAction
  abortReason: TerminationReason
  escalation: EscalationKind
  /** Policy failures reported as this invariant. */
  policyErrors?: readonly PolicyErrorKind[]
  /** Ready-made interventions for the packet. */
  suggest?(ctx: SuggestionContext): SuggestedIntervention[]
  /** Declared by the spec (`invariants.custom`). */
  custom?: CustomInvariantSpec
}

const escalating = { onFail: 'escalate', escalation: 'invariant' } as const

export const BUILTIN_INVARIANTS: readonly InvariantDef[] = [
  { name: 'iteration-cap', holds: 'at most invariants.maxIterations iterations', remediation: 'terminate with MAX_ITERATIONS', onFail: 'terminate', abortReason: 'MAX_ITERATIONS', escalation: 'invariant' },
  { name: 'budget', holds: 'tokens, cost and running time within invariants.budget', remediation: 'escalate: raise the budget or abort', onFail: 'escalate', escalation: 'budget', abortReason: 'BUDGET_EXHAUSTED', suggest: suggest.raiseBudget },
  { name: 'progress', holds: 'progress (a new observation) every invariants.progressEvery iterations', remediation: 'escalate: add a fact, override the subgoal, or relax progressEvery', ...escalating, abortReason: 'STALLED', suggest: suggest.moreProgressTime },
  { name: 'no-looping', holds: 'never the same call invariants.sameActionLimit times in a row', remediation: 'escalate: add a fact or override the subgoal so the policy picks something else', ...escalating, abortReason: 'STALLED', suggest: suggest.allowRepeats },
  { name: 'tool-error-streak', holds: 'fewer than invariants.toolErrorStreak failed tool calls in a row', remediation: 'escalate: fix the cause, edit the call, or relax toolErrorStreak', ...escalating, abortReason: 'FATAL_ERROR', suggest: suggest.allowErrors },
  { name: 'confidence-floor', holds: "the policy's confidence at or above invariants.confidenceFloor", remediation: 'escalate: confirm the plan or add facts', ...escalating, abortReason: 'STALLED', suggest: suggest.lowerFloor },
  { name: 'known-tool', holds: 'every proposed call names a tool the loop has', remediation: 'escalate: the call was not run; patch state or abort', ...escalating, abortReason: 'FATAL_ERROR' },
  { name: 'valid-tool-input', holds: "every proposed call's input matches the tool's schema", remediation: 'escalate: edit the call or add a fact', ...escalating, abortReason: 'FATAL_ERROR' },
  { name: 'success-predicate', holds: 'termination.success can be evaluated', remediation: 'fix termination.success: guard a field that may be absent with has()', onFail: 'record', escalation: 'invariant', abortReason: 'FATAL_ERROR' },
  { name: 'tools-available', holds: "the spec's tools (its MCP servers) are up", remediation: 'escalate: fix the server (see the message) and resume, or abort', onFail: 'escalate', escalation: 'error', abortReason: 'FATAL_ERROR' },
  { name: 'valid-tool-call', holds: "the model's reply is a well-formed tool call", remediation: 'escalate', ...escalating, abortReason: 'FATAL_ERROR', policyErrors: ['malformed-response'] },
  { name: 'response-complete', holds: "the model's reply was not cut off at maxTokens", remediation: 'escalate', ...escalating, abortReason: 'FATAL_ERROR', policyErrors: ['max-tokens'] },
  { name: 'replay-matches', holds: 'a replayed loop proposes what was recorded', remediation: 'escalate', ...escalating, abortReason: 'FATAL_ERROR', policyErrors: ['replay-divergence'] },
  { name: 'daily-budget', holds: "today's spend across all loops within the daily budget", remediation: 'escalate', onFail: 'escalate', escalation: 'budget', abortReason: 'BUDGET_EXHAUSTED', policyErrors: ['daily-budget'], suggest: suggest.raiseDailyLimit },
  { name: 'policy-ok', holds: 'the policy decides (no provider error, timeout or refusal)', remediation: 'escalate', onFail: 'escalate', escalation: 'error', abortReason: 'FATAL_ERROR' }
]

const BUILTIN = new Map(BUILTIN_INVARIANTS.map((d) => [d.name, d]))
const POLICY_FAILURE = 'policy-ok'

const ON_FAIL: Record<CustomInvariantSpec['severity'], FailureAction> = { warn: 'record', escalate: 'escalate', stop: 'terminate' }

export function customInvariantDef(c: CustomInvariantSpec): InvariantDef {
  return {
    name: c.name,
    holds: c.expr,
    remediation: c.remediation,
    onFail: ON_FAIL[c.severity],
    abortReason: 'FATAL_ERROR',
    escalation: 'invariant',
    custom: c,
    suggest: ({ state }) => suggest.onlyWarn(state, c)
  }
}

/** The invariant of this name: built-in, or one of the loop's own (an unknown name reads as a policy failure). */
export function invariantDef(name: string, custom: readonly CustomInvariantSpec[] = []): InvariantDef {
  const own = custom.find((c) => c.name === name)
  return own ? customInvariantDef(own) : (BUILTIN.get(name) ?? { ...BUILTIN.get(POLICY_FAILURE)!, name })
}

export function isBuiltinInvariant(name: string): boolean {
  return BUILTIN.has(name)
}

/** The invariant a policy failure of this kind is reported as. */
export function invariantForPolicyError(kind: PolicyErrorKind): InvariantDef {
  return BUILTIN_INVARIANTS.find((d) => d.policyErrors?.includes(kind)) ?? BUILTIN.get(POLICY_FAILURE)!
}

/** Of several failing invariants: the escalation they raise (a budget one wins: its packet offers a raise). */
export function escalationFor(defs: readonly InvariantDef[]): EscalationKind {
  return defs.find((d) => d.escalation === 'budget')?.escalation ?? defs[0]?.escalation ?? 'invariant'
}
