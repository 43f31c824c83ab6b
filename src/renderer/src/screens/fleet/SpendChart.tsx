import type { DaySpend } from '../../../../shared/fleet'
import { fmtUsd } from '../../lib/format'

/** Spend per UTC day as bars, with the daily limit as a line when one is set (today's bar is the last). */
export function SpendChart({ days, limitUsd }: { days: DaySpend[]; limitUsd: number | null }) {
  const W = 380
  const H = 120
  const left = 40
  const bottom = 16
  const top = 8
  const most = Math.max(...days.map((d) => d.usd), limitUsd ?? 0, 0.01)
  const y = (usd: number) => H - bottom - (usd / most) * (H - bottom - top)
  const slot = (W - left - 4) / Math.max(days.length, 1)
  return (
    <svg className="chart spend-chart" data-testid="spend-chart" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="xMinYMin meet" role="img" aria-label={`spend per day over the last ${days.length} days`}>
      <line x1={left} x2={W - 4} y1={y(0)} y2={y(0)} className="axis" />
      <text x={left - 4} y={y(most) + 4} className="label" textAnchor="end">{fmtUsd(most)}</text>
      <text x={left - 4} y={y(0) + 4} className="label" textAnchor="end">$0</text>
      {limitUsd !== null && <line x1={left} x2={W - 4} y1={y(limitUsd)} y2={y(limitUsd)} className="floor" data-testid="spend-chart-limit" />}
      {days.map((d, i) => (
        <rect
          key={d.day}
          data-testid="spend-bar"
          data-day={d.day}
          data-usd={d.usd}
          x={left + i * slot + slot * 0.15}
          width={slot * 0.7}
          y={y(d.usd)}
          height={Math.max(0, y(0) - y(d.usd))}
          className={limitUsd !== null && d.usd >= limitUsd ? 'bar over' : 'bar'}
        >
          <title>
            {d.day}: {fmtUsd(d.usd)}
          </title>
        </rect>
      ))}
      <text x={left} y={H - 3} className="label">{days[0]?.day.slice(5)}</text>
      <text x={W - 4} y={H - 3} className="label" textAnchor="end">today</text>
    </svg>
  )
}
