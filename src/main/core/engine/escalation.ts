/**
 * Gather an escalation packet: what an operator needs to decide, computed when the loop stops
 * so the inbox never has to reconstruct it. Pure: state and recent events in, packet out.
 */
import type { EscalationKind, EscalationPacket, SuggestedIntervention } from '../../../shared/escalation'
import type { InvariantResult, StoredEvent, TerminationReason } from '../../../shared/events'
import { editableState, type LoopState } from '../../../shared/state'
import { classifyRun } from '../diagnosis/classify'
import type { RootCause } from '../../../shared/root-cause'
import { invariantDef } from '../invariants/registry'

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

function suggestionsFor(state: LoopState, kind: EscalationKind, failing: InvariantResult[], daily: PacketInput['daily']): SuggestedIntervention[] {
  const out: SuggestedIntervention[] = []
  if (kind === 'approval') {
    out.push({ label: 'Approve the call as proposed', command: 'approve' })
    out.push({ label: 'Reject the call (the loop sees your reason)', command: 'reject' })
  }
  if (kind === 'outcome-unknown') {
    out.push({ label: 'It took effect: continue without re-running it', command: 'happened' })
    out.push({ label: 'It did not take effect: continue without re-running it', command: 'not-happened' })
    out.push({ label: 'Re-run the call (you checked it is safe)', command: 'retry' })
  }
  for (const f of failing) out.push(...(invariantDef(f.name, state.invariants.custom).suggest?.({ state, daily }) ?? []))
  if (kind !== 'approval' && kind !== 'outcome-unknown') out.push({ label: 'Resume as is', command: 'resume' })
  out.push({ label: 'Abort the loop', command: 'abort' })
  return out
}

type StepResult = EscalationPacket['reasoningTrail'][number]['result']

/** How each iteration's step ended, by iteration: observed, rejected (by the operator or an invariant), or its decision failed. */
function stepResults(events: StoredEvent[]): Map<number, NonNullable<StepResult>> {
  const results = new Map<number, NonNullable<StepResult>>()
  const iterationOfCall = new Map<string, number>()
  for (const e of events) {
    if (e.type === 'ActionProposed') iterationOfCall.set(e.data.callId, e.data.iteration)
    else if (e.type === 'Observed') results.set(e.data.iteration, { ok: e.data.observation.ok, summary: e.data.observation.summary, exitCode: e.data.observation.exitCode })
    else if (e.type === 'DecisionFailed') results.set(e.data.iteration, { ok: false, summary: `decision failed (${e.data.kind}): ${e.data.message}`, exitCode: null })
    else if (e.type === 'ActionRejected') {
      const iteration = iterationOfCall.get(e.data.callId)
      if (iteration !== undefined) results.set(iteration, { ok: false, summary: `rejected by ${e.data.by}: ${e.data.reason}`, exitCode: null })
    }
  }
  return results
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
  const results = stepResults(events)
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
      response: d.data.rawResponse,
      result: results.get(d.data.iteration)
    })),
    pendingCall: pc ? { callId: pc.callId, action: pc.action, risk: pc.risk } : undefined,
    suggestions: suggestionsFor(state, p.kind, p.failing, p.daily),
    abortReason: p.abortReason,
    rootCause: p.kind === 'approval' ? undefined : classifyOrNone({ state, events, stop: { kind: 'escalated', failing: p.failing.map((f) => f.name), summary: p.summary, escalation: p.kind } })
  }
}

/**
 * The root cause of a stop, or none when classifying fails (a classifier bug): a stop is always
 * recorded, with or without its diagnosis.
 */
export function classifyOrNone(input: Parameters<typeof classifyRun>[0]): RootCause | undefined {
  try {
    return classifyRun(input)
  } catch (err) {
    console.error(`root-cause classification failed, recorded without one: ${(err as Error).message}`)
    return undefined
  }
}
