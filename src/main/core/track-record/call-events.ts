/**
 * The events a track record reads, for a spec's loops, bounded to their most recent `limit`
 * proposals however long the history: the loops are walked from the most recently active, each
 * read newest first through the partial index of call events (migration 0010) down to the oldest
 * proposal still in the window, and the walk stops at loops last active before that proposal.
 * Then the decisions and outcomes recorded from each loop's first proposal in the window on.
 */
import type { StoredEvent } from '../../../shared/events'
import { CorruptEventError, rowToEvent, type StoredRow, type TraceStore } from '../store/trace-store'
import { CALL_EVENT_TYPES } from './calls'
import type { SpecLoop } from './spec-loops'

const TYPES = CALL_EVENT_TYPES.map((t) => `'${t}'`).join(', ')

/** Parameters: a loop, the seq its proposals must follow, how many. The repeated type list lets the partial index serve it. */
export const RECENT_PROPOSALS_SQL = `SELECT seq, at FROM events
  WHERE loop_id = ? AND type IN (${TYPES}) AND type = 'ActionProposed' AND seq > ?
  ORDER BY seq DESC LIMIT ?`

/** Parameters: a loop, the seq of its first proposal in the window. */
export const LOOP_CALL_EVENTS_SQL = `SELECT seq, loop_id, version, type, data, at, schema FROM events
  WHERE loop_id = ? AND type IN (${TYPES}) AND seq >= ?
  ORDER BY seq`

/** Per loop, the seq of its oldest proposal among the spec's `limit` most recent ones. */
function windowStarts(store: TraceStore, loops: readonly SpecLoop[], limit: number): Map<string, number> {
  const recent = store.db.prepare(RECENT_PROPOSALS_SQL)
  let kept: { seq: number; at: number; loopId: string }[] = []
  for (const loop of [...loops].sort((a, b) => b.updatedAt - a.updatedAt)) {
    const full = kept.length >= limit
    // Every proposal of this loop and of the ones after it was recorded before the window's oldest.
    if (full && loop.updatedAt < kept[kept.length - 1].at) break
    const after = full ? kept[kept.length - 1].seq : 0
    const rows = recent.all(loop.loopId, after, limit) as { seq: number; at: number }[]
    if (rows.length === 0) continue
    kept = [...kept, ...rows.map((r) => ({ ...r, loopId: loop.loopId }))].sort((a, b) => b.seq - a.seq).slice(0, limit)
  }
  const starts = new Map<string, number>()
  for (const p of kept) starts.set(p.loopId, Math.min(p.seq, starts.get(p.loopId) ?? Infinity))
  return starts
}

/**
 * The events, oldest first, and how many rows no longer parse (skipped: a track record is a
 * summary, and one damaged row should not hide the rest). Reads `limit` proposals: pass one more
 * than you show to learn whether older ones exist.
 */
export function callEvents(store: TraceStore, loops: readonly SpecLoop[], limit: number): { events: StoredEvent[]; unreadable: number } {
  const read = store.db.prepare(LOOP_CALL_EVENTS_SQL)
  const rows: StoredRow[] = []
  for (const [loopId, from] of windowStarts(store, loops, limit)) rows.push(...(read.all(loopId, from) as StoredRow[]))
  rows.sort((a, b) => a.seq - b.seq)
  const events: StoredEvent[] = []
  let unreadable = 0
  for (const r of rows) {
    try {
      events.push(rowToEvent(r))
    } catch (err) {
      if (!(err instanceof CorruptEventError)) throw err
      unreadable++
    }
  }
  return { events, unreadable }
}

/** Each loop's workspace, from its LoopCreated (version 1, found through the (loop_id, version) key). */
export const LOOP_WORKSPACE_SQL = `SELECT json_extract(data, '$.workspace') AS workspace FROM events WHERE loop_id = ? AND version = 1 AND type = 'LoopCreated'`

export function loopWorkspaces(store: TraceStore, loopIds: Iterable<string>): Map<string, string | null> {
  const read = store.db.prepare(LOOP_WORKSPACE_SQL)
  const out = new Map<string, string | null>()
  for (const id of loopIds) out.set(id, (read.get(id) as { workspace: string | null } | undefined)?.workspace ?? null)
  return out
}
