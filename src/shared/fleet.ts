/**
 * The fleet at a glance: how many loops are where, how often and how fast they converge, how long
 * escalations wait for an operator, and what the day's spend is against the daily budget.
 */
import type { DailyBudget } from './contract'
import { RootCauseCategory } from './root-cause'
import type { LoopStatus } from './state'

/** A distribution's middle and tail; null when there is nothing to measure. */
export interface Spread {
  count: number
  p50: number | null
  p95: number | null
}

export interface DaySpend {
  /** UTC day, YYYY-MM-DD. */
  day: string
  usd: number
}

export type CategoryCounts = Partial<Record<RootCauseCategory, number>>

export interface DayFailures {
  /** UTC day, YYYY-MM-DD. */
  day: string
  byCategory: CategoryCounts
  total: number
}

/**
 * Failed stops by root cause over the window. One count per stop: each escalation raised (a loop
 * escalated three times and resumed counts three), and each termination without success that
 * does not end an escalation (an abort of an escalation was counted when it was raised). A
 * cancellation by the operator is not a failure.
 */
export interface FleetFailures {
  total: number
  byCategory: CategoryCounts
  /** The category with the most stops (ties: the more specific); null without failures. */
  dominant: RootCauseCategory | null
  /** Oldest first, ending today, one entry per day of the window. */
  byDay: DayFailures[]
}

export interface FleetStats {
  /** When the figures were computed (epoch ms). */
  at: number
  /** Listed loops (neither archived nor imported) by status, and the finished ones by reason. */
  loops: { total: number; byStatus: Partial<Record<LoopStatus, number>>; finishedByReason: Record<string, number> }
  /** Loops that ended in SUCCESS out of the loops that finished; rate is null before any finished. */
  convergence: { converged: number; finished: number; rate: number | null }
  /** Iterations the converged loops took. */
  iterationsToConverge: Spread
  /** Escalations still waiting, and how long the answered ones waited (ms). */
  escalations: { open: number; timeToResolveMs: Spread }
  /** Spend per UTC day, oldest first, ending today (every model call, as the daily budget counts it). */
  spendByDay: DaySpend[]
  failures: FleetFailures
  budget: DailyBudget
}

/**
 * The p-th percentile (0–100) by linear interpolation between the closest ranks, the definition
 * spreadsheets and NumPy use by default: the median of 1, 2, 3, 4 is 2.5. Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, got ${p}`)
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo)
}

export function spread(values: readonly number[]): Spread {
  return { count: values.length, p50: percentile(values, 50), p95: percentile(values, 95) }
}

/** part / whole, or null when there is no whole to speak of. */
export function rate(part: number, whole: number): number | null {
  if (part < 0 || whole < 0 || part > whole) throw new RangeError(`a rate needs 0 ≤ part ≤ whole, got ${part} of ${whole}`)
  return whole === 0 ? null : part / whole
}

const DAY_MS = 86_400_000

/** The last `days` UTC days ending with the one `now` falls in, each with its spend (0 when none). */
export function spendDays(spent: ReadonlyMap<string, number>, now: number, days: number): DaySpend[] {
  const today = Math.floor(now / DAY_MS)
  return Array.from({ length: days }, (_, i) => {
    const day = new Date((today - days + 1 + i) * DAY_MS).toISOString().slice(0, 10)
    return { day, usd: spent.get(day) ?? 0 }
  })
}

/**
 * Pairs each escalation with what answered it, in one loop's recorded order: the wait from
 * Escalated to the first EscalationResolved or Resumed after it, and whether one is still open.
 */
export function escalationWaits(events: readonly { type: string; at: number }[]): { waits: number[]; open: boolean } {
  const waits: number[] = []
  let raisedAt: number | null = null
  for (const e of events) {
    if (e.type === 'Escalated') raisedAt ??= e.at
    else if (raisedAt !== null && (e.type === 'EscalationResolved' || e.type === 'Resumed')) {
      waits.push(e.at - raisedAt)
      raisedAt = null
    }
  }
  return { waits, open: raisedAt !== null }
}

/** Failed stops counted per UTC day and category into the window's days (rows outside it are left out). */
export function failureCounts(rows: readonly { day: string; category: string; n: number }[], now: number, days: number): FleetFailures {
  const byDay = spendDays(new Map(), now, days).map(({ day }) => ({ day, byCategory: {} as CategoryCounts, total: 0 }))
  const index = new Map(byDay.map((d, i) => [d.day, i]))
  const byCategory: CategoryCounts = {}
  let total = 0
  for (const r of rows) {
    const i = index.get(r.day)
    if (i === undefined || r.n <= 0) continue
    const parsed = RootCauseCategory.safeParse(r.category)
    const category = parsed.success ? parsed.data : 'other'
    byDay[i].byCategory[category] = (byDay[i].byCategory[category] ?? 0) + r.n
    byDay[i].total += r.n
    byCategory[category] = (byCategory[category] ?? 0) + r.n
    total += r.n
  }
  return { total, byCategory, dominant: dominantCategory(byCategory), byDay }
}

export function dominantCategory(counts: CategoryCounts): RootCauseCategory | null {
  let best: RootCauseCategory | null = null
  for (const c of RootCauseCategory.options) if ((counts[c] ?? 0) > 0 && (best === null || counts[c]! > counts[best]!)) best = c
  return best
}
