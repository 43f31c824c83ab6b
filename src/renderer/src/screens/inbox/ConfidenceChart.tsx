/** The policy's confidence per iteration, with the floor the loop must stay above. */
export function ConfidenceChart({ points, floor }: { points: { iteration: number; confidence: number }[]; floor: number }) {
  if (points.length === 0) return <p className="muted">No decisions yet.</p>
  const W = 360
  const H = 110
  const pad = 22
  const first = points[0].iteration
  const last = points[points.length - 1].iteration
  const x = (it: number) => pad + (last === first ? (W - 2 * pad) / 2 : ((it - first) / (last - first)) * (W - 2 * pad))
  const y = (c: number) => H - pad + 4 - c * (H - pad - 8)
  const line = points.map((p) => `${x(p.iteration).toFixed(1)},${y(p.confidence).toFixed(1)}`).join(' ')
  return (
    <svg className="chart" data-testid="confidence-chart" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="xMinYMin meet" role="img" aria-label="confidence per iteration">
      <line x1={pad} x2={W - pad} y1={y(0)} y2={y(0)} className="axis" />
      <line x1={pad} x2={W - pad} y1={y(1)} y2={y(1)} className="grid" />
      {floor > 0 && <line x1={pad} x2={W - pad} y1={y(floor)} y2={y(floor)} className="floor" />}
      <text x={2} y={y(1) + 4} className="label">1</text>
      <text x={2} y={y(0) + 4} className="label">0</text>
      <polyline points={line} className="series" />
      {points.map((p) => (
        <circle key={p.iteration} cx={x(p.iteration)} cy={y(p.confidence)} r={3} className={p.confidence < floor ? 'dot bad' : 'dot'}>
          <title>
            iteration {p.iteration}: {p.confidence.toFixed(2)}
          </title>
        </circle>
      ))}
      <text x={pad} y={H - 2} className="label">#{first}</text>
      <text x={W - pad} y={H - 2} className="label" textAnchor="end">#{last}</text>
    </svg>
  )
}
