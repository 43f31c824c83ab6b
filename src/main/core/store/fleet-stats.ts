/**
 * Fleet figures computed in SQL over the loop-list projection, two partial indexes of the event log
 * (migrations 7 and 9) and the spend per minute (migration 11): one read of each, never a scan of every event.
 */
import type { DailyBudget } from '../../../shared/contract'
import { escalationWaits, failureCounts, rate, spendDays, spread, type FleetStats } from '../../../shared/fleet'
import type { LoopStatus } from '../../../shared/state'
import { LoopArchive } from './archive'
import type { TraceStore } from './trace-store'

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

interface LoopRow {
  loop_id: string
  status: LoopStatus
  reason: string | null
  iteration: number | null
  read_only: number | null
}

/** The statements behind the figures (exported so a test can check the plans SQLite picks for them). */
export const FLEET_SQL = {
  loops: `SELECT loop_id, status, json_extract(summary, '$.terminationReason') AS reason,
                 json_extract(summary, '$.iteration') AS iteration, json_extract(summary, '$.readOnly') AS read_only
          FROM loops`,
  /** Served by the partial index events_escalations: only these three event types are read. */
  escalations: `SELECT loop_id, type, at FROM events
                WHERE type IN ('Escalated', 'EscalationResolved', 'Resumed') ORDER BY loop_id, seq`,
  /**
   * Per UTC day (1,440 minutes) from the spend per minute the daily budget reads: the same figure,
   * imported loops left out. A range of the primary key: at most 1,440 rows a day.
   */
  spendByDay: `SELECT strftime('%Y-%m-%d', (minute / 1440) * 86400, 'unixepoch') AS day, SUM(usd) AS usd
               FROM spend_minutes WHERE minute >= ? GROUP BY minute / 1440`,
  /**
   * Failed stops per loop, UTC day and root cause, served by the partial index events_stops (migration 9):
   * every escalation that carries a root cause, and every termination without success or cancellation
   * except the abort of an escalation (the event before it resolved an escalation with `abort`).
   * A termination recorded before root causes were classified counts as `other`.
   */
  failures: `SELECT e.loop_id, strftime('%Y-%m-%d', e.at / 1000, 'unixepoch') AS day,
                    COALESCE(json_extract(e.data, '$.packet.rootCause.category'), json_extract(e.data, '$.rootCause.category'), 'other') AS category,
                    COUNT(*) AS n
             FROM events e
             WHERE e.type IN ('Escalated', 'Terminated') AND e.at >= ?
               AND CASE e.type
                 WHEN 'Escalated' THEN json_extract(e.data, '$.packet.rootCause') IS NOT NULL
                 ELSE json_extract(e.data, '$.reason') NOT IN ('SUCCESS', 'CANCELLED')
                   AND NOT EXISTS (SELECT 1 FROM events p WHERE p.loop_id = e.loop_id AND p.version = e.version - 1
                                   AND p.type = 'EscalationResolved' AND json_extract(p.data, '$.resolution') = 'abort')
               END
             GROUP BY e.loop_id, day, category`
}

export function fleetStats(store: TraceStore, opts: { now: number; days: number; budget: DailyBudget }): FleetStats {
  const { db } = store
  const archived = new LoopArchive(db).archivedIds()
  const loops = (db.prepare(FLEET_SQL.loops).all() as LoopRow[]).filter((l) => !archived.has(l.loop_id) && !l.read_only)

  const byStatus: Partial<Record<LoopStatus, number>> = {}
  const finishedByReason: Record<string, number> = {}
  const iterations: number[] = []
  for (const l of loops) {
    byStatus[l.status] = (byStatus[l.status] ?? 0) + 1
    if (l.status !== 'terminated') continue
    const reason = l.reason ?? 'UNKNOWN'
    finishedByReason[reason] = (finishedByReason[reason] ?? 0) + 1
    if (reason === 'SUCCESS' && typeof l.iteration === 'number') iterations.push(l.iteration)
  }
  const finished = byStatus.terminated ?? 0
  const converged = finishedByReason.SUCCESS ?? 0

  const fleet = new Set(loops.map((l) => l.loop_id))
  const escalationEvents = db.prepare(FLEET_SQL.escalations).all() as { loop_id: string; type: string; at: number }[]
  const waits: number[] = []
  let open = 0
  const perLoop = new Map<string, { type: string; at: number }[]>()
  for (const e of escalationEvents) {
    if (!fleet.has(e.loop_id)) continue
    const list = perLoop.get(e.loop_id)
    if (list) list.push(e)
    else perLoop.set(e.loop_id, [e])
  }
  for (const events of perLoop.values()) {
    const w = escalationWaits(events)
    waits.push(...w.waits)
    if (w.open) open++
  }

  const since = (Math.floor(opts.now / DAY_MS) - opts.days + 1) * DAY_MS
  const perDay = db.prepare(FLEET_SQL.spendByDay).all(since / MINUTE_MS) as { day: string; usd: number | null }[]
  const spendByDay = spendDays(new Map(perDay.map((d) => [d.day, d.usd ?? 0])), opts.now, opts.days)

  const stops = db.prepare(FLEET_SQL.failures).all(since) as { loop_id: string; day: string; category: string; n: number }[]
  const failures = failureCounts(stops.filter((r) => fleet.has(r.loop_id)), opts.now, opts.days)

  return {
    at: opts.now,
    loops: { total: loops.length, byStatus, finishedByReason },
    convergence: { converged, finished, rate: rate(converged, finished) },
    iterationsToConverge: spread(iterations),
    escalations: { open, timeToResolveMs: spread(waits) },
    spendByDay,
    failures,
    // Today's spend is today's bar: both from the spend per minute written with the decisions, which
    // also holds what other processes on this data (an `andon run`) spent, where this process's ledger
    // counts only its own. Spend in imported bundles is in neither, as in the budget (spentSince).
    budget: { ...opts.budget, spentTodayUsd: spendByDay.at(-1)?.usd ?? 0 }
  }
}
