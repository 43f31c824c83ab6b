import type { DayFailures } from '../../../../shared/fleet'
import { ROOT_CAUSE_LABELS, RootCauseCategory } from '../../../../shared/root-cause'

/** One colour per category, told apart on the dark theme (the table beside the chart names them). */
export const CATEGORY_COLORS: Record<RootCauseCategory, string> = {
  interrupted: '#8b949e',
  'malformed-output': '#d2a8ff',
  provider: '#79c0ff',
  budget: '#e3b341',
  guardrail: '#ffa657',
  looping: '#ff7b72',
  'operator-rejection': '#56d4dd',
  'verify-regression': '#f778ba',
  'tool-error': '#3fb950',
  stalled: '#a5d6ff',
  other: '#6e7681'
}

/** Failed stops per UTC day as bars stacked by root cause (today's bar is the last). */
export function FailureChart({ days }: { days: DayFailures[] }) {
  const W = 380
  const H = 120
  const left = 28
  const bottom = 16
  const top = 8
  const most = Math.max(...days.map((d) => d.total), 1)
  const y = (n: number) => H - bottom - (n / most) * (H - bottom - top)
  const slot = (W - left - 4) / Math.max(days.length, 1)
  return (
    <svg className="chart failure-chart" data-testid="failure-chart" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="xMinYMin meet" role="img" aria-label={`failed stops per day by root cause over the last ${days.length} days`}>
      <line x1={left} x2={W - 4} y1={y(0)} y2={y(0)} className="axis" />
      <text x={left - 4} y={y(most) + 4} className="label" textAnchor="end">{most}</text>
      <text x={left - 4} y={y(0) + 4} className="label" textAnchor="end">0</text>
      {days.map((d, i) => {
        let below = 0
        return RootCauseCategory.options.map((c) => {
          const n = d.byCategory[c] ?? 0
          if (n === 0) return null
          const from = below
          below += n
          return (
            <rect key={`${d.day}-${c}`} data-testid="failure-bar" data-day={d.day} data-category={c} data-count={n} x={left + i * slot + slot * 0.15} width={slot * 0.7} y={y(below)} height={y(from) - y(below)} fill={CATEGORY_COLORS[c]}>
              <title>
                {d.day}: {n} × {ROOT_CAUSE_LABELS[c]}
              </title>
            </rect>
          )
        })
      })}
      <text x={left} y={H - 3} className="label">{days[0]?.day.slice(5)}</text>
      <text x={W - 4} y={H - 3} className="label" textAnchor="end">today</text>
    </svg>
  )
}
