/**
 * The events a track record reads, for a set of loops, bounded to their most recent `limit`
 * proposals: one query that finds where those proposals begin and reads the proposals, decisions
 * and outcomes recorded from there on (a decision or outcome always follows its proposal).
 */
import { LoopEventSchema, type StoredEvent } from '../../../shared/events'
import { upcast } from '../../../shared/upcast'
import type { TraceStore } from '../store/trace-store'
import { CALL_EVENT_TYPES } from './calls'

const TYPES = CALL_EVENT_TYPES.map((t) => `'${t}'`).join(', ')

/** Parameters: the loop ids as a JSON array, then how many proposals to read. */
export const CALL_EVENTS_SQL = `
  WITH spec_loops AS (SELECT value AS loop_id FROM json_each(?)),
       -- The repeated type list lets both reads use the partial index events_calls (migration 0010).
       recent AS (SELECT seq FROM events WHERE type = 'ActionProposed' AND type IN (${TYPES}) AND loop_id IN (SELECT loop_id FROM spec_loops)
                  ORDER BY seq DESC LIMIT ?)
  SELECT seq, loop_id, version, type, data, at, schema FROM events
  WHERE loop_id IN (SELECT loop_id FROM spec_loops) AND type IN (${TYPES})
    AND seq >= (SELECT MIN(seq) FROM recent)
  ORDER BY seq`

interface Row {
  seq: number
  loop_id: string
  version: number
  type: string
  data: string
  at: number
  schema: number
}

/**
 * The events, oldest first, and how many rows no longer parse (skipped: a track record is a
 * summary, and one damaged row should not hide the rest). Reads `limit` proposals: pass one more
 * than you show to learn whether older ones exist.
 */
export function callEvents(store: TraceStore, loopIds: string[], limit: number): { events: StoredEvent[]; unreadable: number } {
  if (loopIds.length === 0) return { events: [], unreadable: 0 }
  const rows = store.db.prepare(CALL_EVENTS_SQL).all(JSON.stringify(loopIds), limit) as Row[]
  const events: StoredEvent[] = []
  let unreadable = 0
  for (const r of rows) {
    try {
      const parsed = LoopEventSchema.safeParse({ type: r.type, data: upcast(r.type, r.schema, JSON.parse(r.data)) })
      if (parsed.success) events.push({ ...parsed.data, loopId: r.loop_id, version: r.version, seq: r.seq, at: r.at })
      else unreadable++
    } catch {
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
  for (const id of loopIds) out.set(id, ((read.get(id) as { workspace: string | null } | undefined)?.workspace ?? null))
  return out
}
