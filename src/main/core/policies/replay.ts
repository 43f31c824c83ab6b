/**
 * The `replay` policy: re-runs a loop from the decisions another loop recorded (in this store,
 * so an imported bundle can be replayed). At iteration N it returns recorded decision N, at no
 * token cost. If the live loop sees a different observation than the recording saw before
 * decision N, or the recording has no decision N, it stops with `replay-divergence`.
 */
import type { z } from 'zod'
import type { EventOf, Observation } from '../../../shared/events'
import type { ReplayPolicySpec } from '../../../shared/spec'
import { evolve, initialState, type LoopState } from '../../../shared/state'
import type { TraceStore } from '../store/trace-store'
import { PolicyError, type Decision, type Policy } from './policy'
import { thinkTime } from './think-time'

export interface RecordedDecision {
  iteration: number
  /** Stream position of the DecisionMade event in its source loop. */
  loopId: string
  version: number
  data: EventOf<'DecisionMade'>['data']
  /** What the recording had observed when it made this decision. */
  observed: Observation | null
}

const MAX_ANCESTRY = 64

/**
 * Every recorded decision of `loopId`, in order. A fork records only what happened after the
 * fork point, so decisions before it are read from its parent up to `forkedAtVersion`.
 */
export function recordedDecisions(store: TraceStore, loopId: string, toVersion?: number, depth = 0): RecordedDecision[] {
  const out: RecordedDecision[] = []
  let state: LoopState = initialState(loopId)
  for (const ev of store.iterateStream(loopId, { toVersion })) {
    if (ev.type === 'LoopCreated' && ev.data.parentLoopId && ev.data.forkedAtVersion !== null && depth < MAX_ANCESTRY) {
      out.push(...recordedDecisions(store, ev.data.parentLoopId, ev.data.forkedAtVersion, depth + 1))
    }
    if (ev.type === 'DecisionMade') {
      out.push({ iteration: ev.data.iteration, loopId, version: ev.version, data: ev.data, observed: state.lastObservation })
    }
    state = evolve(state, ev)
  }
  return out
}

function describe(o: Observation | null): string {
  if (!o) return 'no observation yet'
  return `${o.tool} ${o.ok ? 'succeeded' : 'failed'}${o.exitCode === null ? '' : ` (exit ${o.exitCode})`}`
}

/** Observations match on their outcome; output text carries paths and times that legitimately differ. */
function sameOutcome(a: Observation | null, b: Observation | null): boolean {
  if (a === null || b === null) return a === b
  return a.tool === b.tool && a.ok === b.ok && a.exitCode === b.exitCode
}


export function createReplayPolicy(spec: z.infer<typeof ReplayPolicySpec>, store: TraceStore): Policy {
  if (store.streamVersion(spec.sourceLoopId) === 0) {
    throw new PolicyError('config', `replay source loop ${spec.sourceLoopId} does not exist in this store`)
  }
  let recording: RecordedDecision[] | null = null
  /** How many decisions were already taken at each iteration (a rejected action is decided again). */
  const taken = new Map<number, number>()
  return {
    kind: 'replay',
    local: true,
    async decide({ iteration, state, signal }): Promise<Decision> {
      await thinkTime(spec.delayMs, signal)
      recording ??= recordedDecisions(store, spec.sourceLoopId)
      const atIteration = recording.filter((r) => r.iteration === iteration)
      const k = taken.get(iteration) ?? 0
      const rec = atIteration[k]
      if (!rec) {
        const last = recording.at(-1)?.iteration ?? 0
        throw new PolicyError(
          'replay-divergence',
          `diverged at iteration ${iteration}: expected the recording to have a decision, got none (it ends at iteration ${last})`
        )
      }
      if (!sameOutcome(rec.observed, state.lastObservation)) {
        throw new PolicyError(
          'replay-divergence',
          `diverged at iteration ${iteration}: expected ${describe(rec.observed)}, got ${describe(state.lastObservation)}`
        )
      }
      taken.set(iteration, k + 1)
      const d = rec.data
      return {
        action: d.action,
        subgoal: d.subgoal,
        confidence: d.confidence,
        rationale: d.rationale,
        prompt: { replayOf: { loopId: rec.loopId, version: rec.version, recordedUsage: d.usage } },
        rawResponse: d.rawResponse,
        usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }
      }
    }
  }
}
