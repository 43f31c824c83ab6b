/**
 * The loops of one spec (by the name in their LoopCreated, as the loop list records it), split
 * into loops run here and imported read-only loops, whose history happened elsewhere.
 */
import type { TraceStore } from '../store/trace-store'

/** Served by the loops projection (one row per loop); archived loops still count: archiving hides, it does not undo. */
export const SPEC_LOOPS_SQL = `SELECT loop_id, COALESCE(json_extract(summary, '$.readOnly'), 0) AS read_only
                               FROM loops WHERE name = ? ORDER BY created_at, loop_id`

export function specLoops(store: TraceStore, specName: string): { live: string[]; imported: string[] } {
  const rows = store.db.prepare(SPEC_LOOPS_SQL).all(specName) as { loop_id: string; read_only: number }[]
  return {
    live: rows.filter((r) => !r.read_only).map((r) => r.loop_id),
    imported: rows.filter((r) => r.read_only).map((r) => r.loop_id)
  }
}
