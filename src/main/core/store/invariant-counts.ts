/**
 * How many of a loop's iterations checked invariants, and in how many one failed: counted by SQLite
 * over the iteration rows, so an eval's result does not parse every row of a long loop.
 */
import type { TraceStore } from './trace-store'

/** Rows whose `invariants` is not null; of those, rows whose `invariants.failing` is not empty. */
export const INVARIANT_COUNTS_SQL = `SELECT COUNT(json_extract(row, '$.invariants')) AS checked,
         COALESCE(SUM(json_array_length(row, '$.invariants.failing') > 0), 0) AS violated
  FROM iterations WHERE loop_id = ?`

export function invariantCounts(store: TraceStore, loopId: string): { checked: number; violated: number } {
  return store.db.prepare(INVARIANT_COUNTS_SQL).get(loopId) as { checked: number; violated: number }
}
