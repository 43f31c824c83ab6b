/**
 * The fleet at a glance: how many loops are where, how often and how fast they converge, how long
 * escalations wait for an operator, and what the day's spend is against the daily budget.
 */
import type { DailyBudget } from './contract'
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
