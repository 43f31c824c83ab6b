/** Ready-made interventions the packet offers for a failing invariant (see the registry). */
import type { SuggestedIntervention } from '../../../shared/escalation'
import type { CustomInvariantSpec } from '../../../shared/spec'
import type { LoopState } from '../../../shared/state'
import type { SuggestionContext } from './registry'

/** A new limit above what is already spent: twice the old one, or the spend plus the old one. */
export function raisedLimit(limit: number, used: number): number {
  return Math.max(limit * 2, used + limit)
}

const cents = (usd: number) => Math.ceil(usd * 100) / 100

export function allowRepeats({ state }: SuggestionContext): SuggestedIntervention[] {
  const n = state.invariants.sameActionLimit + 2
  return [
    { label: `Allow ${n} identical calls in a row`, ops: [{ op: 'setInvariant', name: 'sameActionLimit', value: n }] },
    { label: 'Add a fact that explains what the repeated call keeps missing', ops: [{ op: 'addFact', fact: 'Hint: ' }] }
  ]
}

export function moreProgressTime({ state }: SuggestionContext): SuggestedIntervention[] {
  const n = state.invariants.progressEvery * 2
  return [
    { label: `Allow ${n} iterations without progress`, ops: [{ op: 'setInvariant', name: 'progressEvery', value: n }] },
    { label: 'Override the subgoal', ops: [{ op: 'setSubgoal', subgoal: state.subgoal }] }
  ]
}

export function allowErrors({ state }: SuggestionContext): SuggestedIntervention[] {
  const n = state.invariants.toolErrorStreak + 3
  return [{ label: `Allow ${n} failed calls in a row`, ops: [{ op: 'setInvariant', name: 'toolErrorStreak', value: n }] }]
}

export function lowerFloor({ state }: SuggestionContext): SuggestedIntervention[] {
  const value = Math.max(0, state.invariants.confidenceFloor - 0.2)
  return [{ label: 'Lower the confidence floor by 0.2', ops: [{ op: 'setInvariant', name: 'confidenceFloor', value }] }]
}

/** Raised above what is already spent: a doubled budget can still be under the spend. */
export function raiseBudget({ state }: SuggestionContext): SuggestedIntervention[] {
  const b = state.invariants.budget
  const used = state.usage
  const budget = {
    ...(b.tokens ? { tokens: Math.ceil(raisedLimit(b.tokens, used.inputTokens + used.outputTokens)) } : {}),
    ...(b.usd ? { usd: cents(raisedLimit(b.usd, used.costUsd)) } : {}),
    ...(b.seconds ? { seconds: Math.ceil(raisedLimit(b.seconds, state.activeMs / 1000)) } : {})
  }
  const parts = [
    budget.tokens ? `tokens ${b.tokens} → ${budget.tokens}` : null,
    budget.usd ? `USD ${b.usd} → ${budget.usd} (spent ${used.costUsd.toFixed(2)})` : null,
    budget.seconds ? `seconds ${b.seconds} → ${budget.seconds}` : null
  ].filter(Boolean)
  return parts.length ? [{ label: `Raise the budget: ${parts.join(', ')}`, ops: [{ op: 'setBudget', budget }] }] : []
}

export function raiseDailyLimit({ daily }: SuggestionContext): SuggestedIntervention[] {
  if (!daily || daily.limitUsd === null) return []
  const to = cents(raisedLimit(daily.limitUsd, daily.spentTodayUsd))
  return [{ label: `Raise today's limit for all loops: $${daily.limitUsd} → $${to}, and resume`, command: 'set-daily-budget', dailyBudgetUsd: to }]
}

/** A spec's own invariant that is too strict for this run: keep checking it, stop stopping on it. */
export function onlyWarn(_state: LoopState, c: CustomInvariantSpec): SuggestedIntervention[] {
  if (c.severity === 'warn') return []
  return [{ label: `Only record "${c.name}" from now on (it keeps being checked)`, ops: [{ op: 'setSeverity', name: c.name, severity: 'warn' }] }]
}
