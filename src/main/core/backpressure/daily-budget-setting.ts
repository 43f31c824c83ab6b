/**
 * The daily budget as an operator setting: ANDON_DAILY_BUDGET_USD gives the starting limit; a
 * limit set in the control room is recorded (who, when, why) and wins from then on, across restarts.
 */
import type { DailyBudget } from '../../../shared/contract'
import type { TraceStore } from '../store/trace-store'
import type { DailyBudgetLedger } from './budget-ledger'

const KEY = 'dailyBudgetUsd'

/** Apply the limit last set in the control room, if any. */
export function restoreDailyBudget(store: TraceStore, ledger: DailyBudgetLedger): void {
  const set = store.settings.latest(KEY)
  if (set) ledger.setLimit(typeof set.value === 'number' ? set.value : null)
}

export function dailyBudgetOf(store: TraceStore, ledger: DailyBudgetLedger): DailyBudget {
  const set = store.settings.latest(KEY)
  return { limitUsd: ledger.limit, spentTodayUsd: ledger.spentToday(), setBy: set?.by ?? null, setAt: set?.at ?? null, why: set?.why ?? null }
}

export function setDailyBudget(
  store: TraceStore,
  ledger: DailyBudgetLedger,
  change: { usd: number | null; by: string; why: string; at: number }
): DailyBudget {
  store.settings.record({ key: KEY, value: change.usd, by: change.by, why: change.why, at: change.at })
  ledger.setLimit(change.usd)
  return dailyBudgetOf(store, ledger)
}
