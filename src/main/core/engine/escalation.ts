/**
 * Gather an escalation packet: what an operator needs to decide, computed when the loop stops
 * so the inbox never has to reconstruct it. Pure: state and recent events in, packet out.
 */
import type { EscalationKind, EscalationPacket, SuggestedIntervention } from '../../../shared/escalation'
import type { InvariantResult, StoredEvent, TerminationReason } from '../../../shared/events'
import type { PatchOp } from '../../../shared/patch'
import { editableState, type LoopState } from '../../../shared/state'

export const TRAIL_LENGTH = 5

export interface PacketInput {
  id: string
  state: LoopState
  /** The loop's events, at least the last few dozen iterations' worth. */
  events: StoredEvent[]
  kind: EscalationKind
  summary: string
  failing: InvariantResult[]
  abortReason: TerminationReason
  /** The daily limit and today's spend, when the daily budget stopped the loop. */
  daily?: { limitUsd: number | null; spentTodayUsd: number }
}

/** A new limit above what is already spent: twice the old one, or the spend plus the old one. */
export function raisedLimit(limit: number, used: number): number {
  return Math.max(limit * 2, used + limit)
}

const cents = (usd: number) => Math.ceil(usd * 100) / 100

function suggestionsFor(state: LoopState, kind: EscalationKind, failing: InvariantResult[], daily: PacketInput['daily']): SuggestedIntervention[] {
  const inv = state.invariants
  const out: SuggestedIntervention[] = []
  const relax = (label: string, ops: PatchOp[]) => out.push({ label, ops })
  if (kind === 'approval') {
    out.push({ label: 'Approve the call as proposed', command: 'approve' })
    out.push({ label: 'Reject the call (the loop sees your reason)', command: 'reject' })
  }
  if (kind === 'outcome-unknown') {
    out.push({ label: 'It took effect: continue without re-running it', command: 'happened' })
    out.push({ label: 'It did not take effect: continue without re-running it', command: 'not-happened' })
    out.push({ label: 'Re-run the call (you checked it is safe)', command: 'retry' })
  }
  for (const f of failing) {
    switch (f.name) {
      case 'no-looping':
        relax(`Allow ${inv.sameActionLimit + 2} identical calls in a row`, [{ op: 'setInvariant', name: 'sameActionLimit', value: inv.sameActionLimit + 2 }])
        relax('Add a fact that explains what the repeated call keeps missing', [{ op: 'addFact', fact: 'Hint: ' }])
        break
      case 'progress':
        relax(`Allow ${inv.progressEvery * 2} iterations without progress`, [{ op: 'setInvariant', name: 'progressEvery', value: inv.progressEvery * 2 }])
        relax('Override the subgoal', [{ op: 'setSubgoal', subgoal: state.subgoal }])
        break
      case 'budget': {
        // Raised above what is already spent: a doubled budget can still be under the spend.
        const b = inv.budget
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
        if (parts.length) relax(`Raise the budget: ${parts.join(', ')}`, [{ op: 'setBudget', budget }])
        break
      }
      case 'daily-budget': {
        if (!daily || daily.limitUsd === null) break
        const to = cents(raisedLimit(daily.limitUsd, daily.spentTodayUsd))
        out.push({ label: `Raise today's limit for all loops: $${daily.limitUsd} → $${to}, and resume`, command: 'set-daily-budget', dailyBudgetUsd: to })
        break
      }
      case 'tool-error-streak':
        relax(`Allow ${inv.toolErrorStreak + 3} failed calls in a row`, [{ op: 'setInvariant', name: 'toolErrorStreak', value: inv.toolErrorStreak + 3 }])
        break
      case 'confidence-floor':
        relax('Lower the confidence floor by 0.2', [{ op: 'setInvariant', name: 'confidenceFloor', value: Math.max(0, inv.confidenceFloor - 0.2) }])
        break
      default:
        break
    }
  }
  if (kind !== 'approval' && kind !== 'outcome-unknown') out.push({ label: 'Resume as is', command: 'resume' })
  out.push({ label: 'Abort the loop', command: 'abort' })
  return out
}

export function buildPacket(p: PacketInput): EscalationPacket {
  const { state, events } = p
  const checks = events.filter((e) => e.type === 'InvariantChecked')
  const failingInvariants = p.failing.map((f) => ({
    name: f.name,
    detail: f.detail,
    remediation: f.remediation,
    history: checks.flatMap((c) => {
      const r = c.data.results.find((x) => x.name === f.name)
      return r ? [{ iteration: c.data.iteration, ok: r.ok }] : []
    })
  }))
  const decisions = events.filter((e) => e.type === 'DecisionMade')
  const pc = state.pendingCall
  return {
    id: p.id,
    loopId: state.loopId,
    kind: p.kind,
    iteration: state.iteration,
    summary: p.summary,
    stateSnapshot: {
      ...editableState(state),
      iteration: state.iteration,
      usage: state.usage,
      lastObservation: state.lastObservation,
      errorStreak: state.errorStreak
    },
    failingInvariants,
    confidenceTrajectory: decisions.map((d) => ({ iteration: d.data.iteration, confidence: d.data.confidence })),
    reasoningTrail: decisions.slice(-TRAIL_LENGTH).map((d) => ({
      iteration: d.data.iteration,
      action: d.data.action,
      subgoal: d.data.subgoal,
      rationale: d.data.rationale,
      prompt: d.data.prompt,
      response: d.data.rawResponse
    })),
    pendingCall: pc ? { callId: pc.callId, action: pc.action, risk: pc.risk } : undefined,
    suggestions: suggestionsFor(state, p.kind, p.failing, p.daily),
    abortReason: p.abortReason
  }
}
