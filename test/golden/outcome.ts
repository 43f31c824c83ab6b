import type { StoredEvent } from '../../src/shared/events'
import { foldIterationRow, type IterationRow } from '../../src/shared/iterations'
import { fold } from '../../src/shared/state'

/** What a golden log must fold to: the parts of state and rows that mean something to a user. */
export function goldenOutcome(events: StoredEvent[]) {
  const s = fold(events[0].loopId, events)
  const rows: IterationRow[] = []
  for (const e of events) foldIterationRow(rows, e)
  return {
    status: s.status,
    termination: s.termination,
    iteration: s.iteration,
    subgoal: s.subgoal,
    facts: s.facts,
    usage: s.usage,
    activeMs: s.activeMs,
    escalationOpen: s.escalation !== null,
    lastObservation: s.lastObservation,
    rows: rows.map((r) => ({ iteration: r.iteration, tool: r.action?.tool ?? null, ok: r.result?.ok ?? null, failing: r.invariants?.failing ?? null, approval: r.approval }))
  }
}
