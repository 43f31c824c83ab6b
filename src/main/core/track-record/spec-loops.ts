/**
 * The loops of one spec (by the name in their LoopCreated, as the loop list records it): loops
 * run here, imported read-only loops (their history happened elsewhere) and eval runs (cases and
 * gate runs replayed in the background, tagged `eval`: not the operator supervising the spec).
 */
import type { TraceStore } from '../store/trace-store'

export interface SpecLoop {
  loopId: string
  /** When its last event was recorded (epoch ms): the track record reads the most recently active loops first. */
  updatedAt: number
}

/** Served by the loops projection (one row per loop); archived loops still count: archiving hides, it does not undo. */
export const SPEC_LOOPS_SQL = `SELECT loop_id, updated_at,
                                 COALESCE(json_extract(summary, '$.readOnly'), 0) AS read_only,
                                 EXISTS (SELECT 1 FROM json_each(summary, '$.tags') WHERE value = 'eval') AS eval_run
                               FROM loops WHERE name = ? ORDER BY created_at, loop_id`

export interface SpecLoops {
  /** Loops run here by operators, oldest first. */
  live: SpecLoop[]
  imported: string[]
  evalRuns: string[]
}

export function specLoops(store: TraceStore, specName: string): SpecLoops {
  const rows = store.db.prepare(SPEC_LOOPS_SQL).all(specName) as { loop_id: string; updated_at: number; read_only: number; eval_run: number }[]
  return {
    live: rows.filter((r) => !r.read_only && !r.eval_run).map((r) => ({ loopId: r.loop_id, updatedAt: r.updated_at })),
    imported: rows.filter((r) => r.read_only).map((r) => r.loop_id),
    evalRuns: rows.filter((r) => !r.read_only && r.eval_run).map((r) => r.loop_id)
  }
}
