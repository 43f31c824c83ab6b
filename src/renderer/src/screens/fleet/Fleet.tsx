/**
 * The fleet at a glance: where the loops are, how well and how fast they converge, how long
 * escalations wait for an operator, which failures dominate, and the day's spend against the daily budget.
 */
import { useState } from 'react'
import type { FleetStats, Spread } from '../../../../shared/fleet'
import type { LoopStatus } from '../../../../shared/state'
import { StatusBadge } from '../../components/StatusBadge'
import { fmtDuration, fmtUsd } from '../../lib/format'
import { DailyBudget } from './DailyBudget'
import { Failures } from './Failures'
import { SpendChart } from './SpendChart'
import { useFleetStats } from './use-fleet-stats'

const STATUSES: LoopStatus[] = ['running', 'awaiting-approval', 'escalated', 'paused', 'interrupted', 'created', 'terminated']
const WINDOWS = [14, 30] as const

const fmtCount = (n: number | null) => (n === null ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(1))
const fmtRate = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`)

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="figure">
      <span className="fleet-big" data-testid={testId}>
        {value}
      </span>
      <span className="muted">{label}</span>
    </div>
  )
}

function SpreadFigures({ spread, fmt, testId }: { spread: Spread; fmt(n: number | null): string; testId: string }) {
  return (
    <>
      <Figure label="median" value={fmt(spread.p50)} testId={`${testId}-p50`} />
      <Figure label="p95" value={fmt(spread.p95)} testId={`${testId}-p95`} />
    </>
  )
}

function LoopsByStatus({ loops }: { loops: FleetStats['loops'] }) {
  return (
    <div className="card" data-testid="fleet-status">
      <h3>
        Loops <span className="muted" data-testid="fleet-total">{loops.total}</span>
      </h3>
      <table className="fleet-table">
        <tbody>
          {STATUSES.filter((s) => loops.byStatus[s]).map((s) => (
            <tr key={s}>
              <th scope="row">{s === 'terminated' ? <span className="badge badge-muted">finished</span> : <StatusBadge status={s} />}</th>
              <td data-testid={`fleet-status-${s}`}>{loops.byStatus[s]}</td>
            </tr>
          ))}
          {Object.entries(loops.finishedByReason).map(([reason, n]) => (
            <tr key={reason} className="sub">
              <th scope="row">
                <StatusBadge status="terminated" reason={reason} />
              </th>
              <td data-testid={`fleet-finished-${reason}`}>{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {loops.total === 0 && <p className="muted">No loops yet.</p>}
    </div>
  )
}

export function Fleet() {
  const [days, setDays] = useState<(typeof WINDOWS)[number]>(14)
  const { stats, error, reload } = useFleetStats(days)
  if (!stats) return <section className="screen">{error ? <p className="error">Fleet figures: {error}</p> : <p className="muted">Loading…</p>}</section>
  const { convergence, iterationsToConverge, escalations } = stats
  return (
    <section className="screen fleet" data-testid="fleet">
      <h2>Fleet</h2>
      {error && <p className="error">Fleet figures: {error}</p>}
      <div className="fleet-grid">
        <LoopsByStatus loops={stats.loops} />
        <div className="card" data-testid="fleet-convergence">
          <h3>Convergence</h3>
          <div className="figures">
            <Figure label={`${convergence.converged} of ${convergence.finished} finished loops ended in SUCCESS`} value={fmtRate(convergence.rate)} testId="fleet-convergence-rate" />
          </div>
          <h4>Iterations to converge</h4>
          <div className="figures">
            <SpreadFigures spread={iterationsToConverge} fmt={fmtCount} testId="fleet-iterations" />
          </div>
        </div>
        <div className="card" data-testid="fleet-escalations">
          <h3>Escalations</h3>
          <div className="figures">
            <Figure label="open" value={String(escalations.open)} testId="fleet-escalations-open" />
          </div>
          <h4>Time to resolve ({escalations.timeToResolveMs.count} answered)</h4>
          <div className="figures">
            <SpreadFigures spread={escalations.timeToResolveMs} fmt={fmtDuration} testId="fleet-resolve" />
          </div>
        </div>
        <Failures failures={stats.failures} days={days} />
        <DailyBudget budget={stats.budget} onChanged={() => void reload()} />
        <div className="card" data-testid="fleet-spend">
          <h3>
            Spend per day{' '}
            <span className="muted" data-testid="fleet-spend-total">
              {fmtUsd(stats.spendByDay.reduce((sum, d) => sum + d.usd, 0))} in {days} days
            </span>
          </h3>
          <div className="actions" role="group" aria-label="days shown">
            {WINDOWS.map((n) => (
              <button key={n} className={n === days ? 'active' : ''} aria-pressed={n === days} data-testid={`fleet-days-${n}`} onClick={() => setDays(n)}>
                {n} days
              </button>
            ))}
          </div>
          <SpendChart days={stats.spendByDay} limitUsd={stats.budget.limitUsd} />
        </div>
      </div>
    </section>
  )
}
