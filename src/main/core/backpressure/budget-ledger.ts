/**
 * The global daily spend across all loops, per UTC day. Each provider call's cost is recorded;
 * once today's spend reaches the limit, calls fail with PolicyError('daily-budget') until 00:00 UTC
 * (or until the operator raises the limit).
 */
import { PolicyError } from '../policies/policy'
import type { Clock } from './clock'

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export class DailyBudgetLedger {
  private day: string
  private spent = 0

  /** `limitUsd` null means no daily limit (spend is still counted). */
  constructor(
    private limitUsd: number | null,
    private readonly clock: Clock,
    /** Spend already recorded today (e.g. restored from the store on start). */
    initialSpentUsd = 0
  ) {
    this.day = utcDay(clock.now())
    this.spent = initialSpentUsd
  }

  get limit(): number | null {
    return this.limitUsd
  }

  setLimit(limitUsd: number | null): void {
    this.limitUsd = limitUsd
  }

  /** After a restart: today's spend as recorded in the store (never lowers what is counted). */
  restore(spentTodayUsd: number): void {
    this.roll()
    this.spent = Math.max(this.spent, spentTodayUsd)
  }

  spentToday(): number {
    this.roll()
    return this.spent
  }

  record(costUsd: number): void {
    if (!(costUsd > 0)) return
    this.roll()
    this.spent += costUsd
  }

  /** Throws PolicyError('daily-budget') when today's spend has reached the limit. */
  check(): void {
    this.roll()
    if (this.limitUsd === null || this.spent < this.limitUsd) return
    throw new PolicyError(
      'daily-budget',
      `global daily budget of $${this.limitUsd.toFixed(2)} reached ($${this.spent.toFixed(4)} spent on ${this.day} UTC); it resets at 00:00 UTC`
    )
  }

  private roll(): void {
    const today = utcDay(this.clock.now())
    if (today !== this.day) {
      this.day = today
      this.spent = 0
    }
  }
}
