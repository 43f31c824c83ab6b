/**
 * Built-in invariants, checked after every iteration. Each is a pure function of state and
 * says, when it fails, what the remediation is and which termination an abort records.
 */
import type { InvariantResult, TerminationReason } from '../../../shared/events'
import type { LoopState } from '../../../shared/state'

export interface InvariantFailure extends InvariantResult {
  ok: false
  /** Recorded if the operator aborts the escalation (or on a hard stop). */
  abortReason: TerminationReason
  /** Hard stops terminate at once instead of escalating. */
  hard: boolean
}

export const INVARIANT_NAMES = [
  'iteration-cap',
  'budget',
  'progress',
  'no-looping',
  'tool-error-streak',
  'confidence-floor'
] as const

export function elapsedMs(s: LoopState, now: number): number {
  return s.activeMs + (s.runningSince === null ? 0 : Math.max(0, now - s.runningSince))
}

/** Budget left, or a description of the one exceeded. */
export function budgetExceeded(s: LoopState, now: number): string | null {
  const b = s.invariants.budget
  const tokens = s.usage.inputTokens + s.usage.outputTokens
  if (b.tokens !== undefined && tokens >= b.tokens) return `tokens ${tokens} ≥ budget ${b.tokens}`
  if (b.usd !== undefined && s.usage.costUsd >= b.usd) return `cost $${s.usage.costUsd.toFixed(4)} ≥ budget $${b.usd}`
  const secs = elapsedMs(s, now) / 1000
  if (b.seconds !== undefined && secs >= b.seconds) return `running time ${secs.toFixed(1)} s ≥ budget ${b.seconds} s`
  return null
}

export function checkInvariants(s: LoopState, now: number): InvariantResult[] {
  const inv = s.invariants
  const results: (InvariantResult & { abortReason?: TerminationReason; hard?: boolean })[] = []
  const push = (name: string, ok: boolean, detail: string, remediation: string) => results.push({ name, ok, detail, remediation })

  push(
    'iteration-cap',
    s.iteration < inv.maxIterations,
    `iteration ${s.iteration} of ${inv.maxIterations}`,
    'terminate with MAX_ITERATIONS'
  )
  const over = budgetExceeded(s, now)
  push('budget', over === null, over ?? 'within budget', 'escalate: raise the budget or abort')
  const since = s.iteration - s.lastProgressIteration
  push(
    'progress',
    since < inv.progressEvery,
    `${since} iteration(s) since the last progress (limit ${inv.progressEvery})`,
    'escalate: add a fact, override the subgoal, or relax progressEvery'
  )
  const recent = s.recentActionKeys.slice(-inv.sameActionLimit)
  const looping = recent.length >= inv.sameActionLimit && recent.every((k) => k === recent[0])
  push(
    'no-looping',
    !looping,
    looping ? `the same call ${inv.sameActionLimit}× in a row: ${recent[0].slice(0, 200)}` : 'no repeated call',
    'escalate: add a fact or override the subgoal so the policy picks something else'
  )
  push(
    'tool-error-streak',
    s.errorStreak < inv.toolErrorStreak,
    `${s.errorStreak} failed tool call(s) in a row (limit ${inv.toolErrorStreak})`,
    'escalate: fix the cause, edit the call, or relax toolErrorStreak'
  )
  const conf = s.lastConfidence
  push(
    'confidence-floor',
    conf === null || conf >= inv.confidenceFloor,
    conf === null ? 'no decision yet' : `confidence ${conf.toFixed(2)} (floor ${inv.confidenceFloor})`,
    'escalate: confirm the plan or add facts'
  )
  return results
}

const ABORT_REASONS: Record<string, TerminationReason> = {
  'iteration-cap': 'MAX_ITERATIONS',
  budget: 'BUDGET_EXHAUSTED',
  progress: 'STALLED',
  'no-looping': 'STALLED',
  'tool-error-streak': 'FATAL_ERROR',
  'confidence-floor': 'STALLED',
  'known-tool': 'FATAL_ERROR',
  'valid-tool-input': 'FATAL_ERROR',
  'policy-ok': 'FATAL_ERROR',
  'daily-budget': 'BUDGET_EXHAUSTED'
}

export function abortReasonFor(invariant: string): TerminationReason {
  return ABORT_REASONS[invariant] ?? 'FATAL_ERROR'
}
