/** Today's spend against the daily limit across all loops, and the operator's control of that limit. */
import { useState } from 'react'
import type { DailyBudget as Budget } from '../../../../shared/contract'
import { fmtDateTime, fmtUsd } from '../../lib/format'
import { useCommand } from '../../lib/use-command'
import { andon } from '../../transport'

/** The limit typed by the operator in dollars, or why it is not one. */
export function parseLimit(text: string): { usd: number } | { error: string } {
  const t = text.trim().replace(/^\$/, '')
  if (t === '') return { error: 'type a limit in dollars' }
  const usd = Number(t)
  if (!Number.isFinite(usd) || usd <= 0) return { error: `"${text.trim()}" is not an amount above $0` }
  if (usd > 1_000_000) return { error: 'the limit is at most $1,000,000 a day' }
  return { usd }
}

export function DailyBudget({ budget, onChanged }: { budget: Budget; onChanged(): void }) {
  const [limit, setLimit] = useState('')
  const [why, setWhy] = useState('')
  const { busy, error, run, setError } = useCommand()
  const { limitUsd, spentTodayUsd } = budget
  const share = limitUsd === null ? null : Math.min(1, spentTodayUsd / limitUsd)

  const change = async (usd: number | null) => {
    if (!why.trim()) return setError('say why the limit changes')
    const done = await run(usd === null ? 'clear the daily limit' : 'set the daily limit', () => andon.setDailyBudget({ usd, why: why.trim() }))
    if (!done) return
    setLimit('')
    setWhy('')
    onChanged()
  }

  return (
    <div className="card fleet-budget" data-testid="fleet-budget">
      <h3>Spend today (UTC)</h3>
      <p className="fleet-big">
        <span data-testid="fleet-spend-today">{fmtUsd(spentTodayUsd)}</span>
        <span className="muted"> of </span>
        <span data-testid="fleet-budget-limit">{limitUsd === null ? 'no daily limit' : fmtUsd(limitUsd)}</span>
      </p>
      {share !== null && (
        <div className="meter" role="meter" aria-label="share of the daily limit spent" aria-valuemin={0} aria-valuemax={1} aria-valuenow={share}>
          <div className={share >= 1 ? 'meter-fill over' : 'meter-fill'} style={{ width: `${share * 100}%` }} />
        </div>
      )}
      <p className="muted" data-testid="fleet-budget-set-by">
        {budget.setBy && budget.setAt !== null
          ? `Set by ${budget.setBy} on ${fmtDateTime(budget.setAt)}${budget.why ? `: ${budget.why}` : ''}`
          : 'Not set in the control room (ANDON_DAILY_BUDGET_USD gives the starting limit).'}
      </p>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault()
          const parsed = parseLimit(limit)
          if ('error' in parsed) setError(parsed.error)
          else void change(parsed.usd)
        }}
      >
        <label>
          New limit (USD a day)
          <input data-testid="budget-input" inputMode="decimal" value={limit} onChange={(e) => setLimit(e.target.value)} placeholder="e.g. 25" />
        </label>
        <label className="grow">
          Why
          <input data-testid="budget-why" value={why} maxLength={2000} onChange={(e) => setWhy(e.target.value)} placeholder="recorded with the change" />
        </label>
        <button type="submit" className="primary" data-testid="budget-set" disabled={busy}>
          Set limit
        </button>
        <button type="button" data-testid="budget-clear" disabled={busy || limitUsd === null} onClick={() => void change(null)}>
          Remove limit
        </button>
      </form>
      {error && (
        <p className="error" data-testid="budget-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
