/**
 * Root-cause classification of a run that escalated or ended without success. Pure: the
 * loop's state and recent events in, one category out.
 */
import type { StoredEvent, TerminationReason } from '../../../shared/events'
import type { RootCause } from '../../../shared/root-cause'
import type { LoopState } from '../../../shared/state'

export interface ClassifyInput {
  state: LoopState
  /** The loop's events, at least the last few dozen iterations' worth. */
  events: StoredEvent[]
  /** How the run stopped: an escalation (with its failing invariants) or a termination. */
  stop: { kind: 'escalated'; failing: string[]; summary: string } | { kind: 'terminated'; reason: TerminationReason; detail: string }
}

export function classifyRun(input: ClassifyInput): RootCause {
  const detail = input.stop.kind === 'escalated' ? input.stop.summary : input.stop.detail
  return { category: 'other', invariant: null, firstFailingIteration: null, detail: detail.slice(0, 2000) }
}
