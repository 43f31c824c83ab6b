/**
 * The validation gate's report, as `andon eval --baseline --candidate` prints it (the same
 * formatters, src/shared/eval-format.ts): which versions were compared, per case the pass rates
 * with the test its mark uses (Holm-corrected), iterations, cost and violations, overall each
 * difference with its interval and the limit tests, which p each test had to be under, and the
 * verdict with its confidence and seed.
 */
import type { GateReport, GateSide, GateVerdict, LimitedMetricDifference, MetricDifference } from '../../../../shared/eval'
import { caseMark, caseP, confidenceText, formatP, intervalText, limitText, pct, signed, testedCases, thresholdsText } from '../../../../shared/eval-format'

const VERDICT_TEXT: Record<GateVerdict, string> = {
  worse: 'Worse: the candidate does not pass the gate',
  better: 'Better: the candidate passes more cases',
  'no difference': 'No difference that this many runs can show'
}

function Side({ role, side }: { role: string; side: GateSide }) {
  return (
    <p data-testid={`gate-side-${role}`}>
      <strong>{role}</strong> {side.name} <span className="muted">— {side.specName}</span>
      {side.version && <span className="muted"> (version {side.version})</span>} <code className="muted">{side.specPath}</code>
    </p>
  )
}

function MetricRow({ title, d, digits, unit = '', conf }: { title: string; d: MetricDifference | LimitedMetricDifference; digits: number; unit?: string; conf: string }) {
  const limit = limitText(d, digits, unit)
  return (
    <tr data-testid={`gate-metric-${title.replace(/ /g, '-')}`}>
      <th scope="row">{title}</th>
      <td>
        {unit}
        {d.baseline.toFixed(digits)}
      </td>
      <td>
        {unit}
        {d.candidate.toFixed(digits)}
      </td>
      <td>{signed(d.difference, digits, unit)}</td>
      <td>
        {intervalText(d, digits, unit)} ({conf}){limit && `; ${limit}`}
      </td>
    </tr>
  )
}

export function GateReportView({ report: r }: { report: GateReport }) {
  const conf = confidenceText(r.settings.confidence)
  const pr = r.passRate
  const tested = testedCases(r)
  return (
    <div className="gate-report" data-testid="gate-report">
      <div className={`card gate-verdict gate-verdict-${r.verdict.replace(' ', '-')}`} data-testid="gate-verdict" data-verdict={r.verdict}>
        <h3>
          {VERDICT_TEXT[r.verdict]} <span className="muted">(at {conf} confidence)</span>
        </h3>
        <p>
          Candidate <strong>{r.candidate.name}</strong> vs baseline <strong>{r.baseline.name}</strong> on {r.suite.name} (suite version {r.suite.version}),{' '}
          {r.suite.cases} case{r.suite.cases === 1 ? '' : 's'} × {r.repetitions} run{r.repetitions === 1 ? '' : 's'} per spec.
        </p>
        <ul data-testid="gate-reasons">
          {r.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
        <p className="muted" data-testid="gate-seed">
          bootstrap: {r.settings.resamples} resamples of cases, then runs; seed {r.settings.seed}
        </p>
        <p className="muted" data-testid="gate-thresholds">
          {thresholdsText(r)}
        </p>
      </div>
      <Side role="baseline" side={r.baseline} />
      <Side role="candidate" side={r.candidate} />

      <h4 id="gate-cases-title">Per case</h4>
      <table className="inv-table gate-table" aria-labelledby="gate-cases-title" data-testid="gate-cases">
        <thead>
          <tr>
            <th scope="col">case</th>
            <th scope="col">expects</th>
            <th scope="col">passed (baseline → candidate)</th>
            <th scope="col">iterations</th>
            <th scope="col">cost</th>
            <th scope="col">violations</th>
            <th scope="col">by chance</th>
          </tr>
        </thead>
        <tbody>
          {r.cases.map((c) => {
            const mark = caseMark(c, r.thresholds)
            const b = c.baseline
            const k = c.candidate
            return (
              <tr key={c.name} data-testid="gate-case" data-case={c.name} data-mark={mark}>
                <th scope="row">
                  <span className={`gate-mark gate-mark-${mark}`}>{mark}</span> {c.name}
                  {c.label && <span className="muted"> [{c.label}]</span>}
                  {c.correction && <div className="muted">correction: {c.correction}</div>}
                </th>
                <td>{c.expected}</td>
                <td>
                  {b.passes}/{b.runs} → {k.passes}/{k.runs} ({signed((k.passes / k.runs - b.passes / b.runs) * 100, 1)} points)
                </td>
                <td>
                  {b.meanIterations.toFixed(1)} → {k.meanIterations.toFixed(1)} ({signed(k.meanIterations - b.meanIterations, 1)})
                </td>
                <td>
                  ${b.meanCostUsd.toFixed(4)} → ${k.meanCostUsd.toFixed(4)} ({signed(k.meanCostUsd - b.meanCostUsd, 4, '$')})
                </td>
                <td>
                  {b.meanViolations.toFixed(2)} → {k.meanViolations.toFixed(2)}
                </td>
                <td data-testid="gate-case-p">{caseP(c, tested) ?? '—'}</td>
              </tr>
            )
          })}
        </tbody>
      </table>

      <h4 id="gate-overall-title">Overall, per run</h4>
      <table className="inv-table gate-table" aria-labelledby="gate-overall-title" data-testid="gate-overall">
        <thead>
          <tr>
            <th scope="col">metric</th>
            <th scope="col">baseline</th>
            <th scope="col">candidate</th>
            <th scope="col">difference</th>
            <th scope="col">interval</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="gate-pass-rate">
            <th scope="row">pass rate</th>
            <td>{pct(pr.baseline)}</td>
            <td>{pct(pr.candidate)}</td>
            <td>{signed(pr.difference * 100, 1)} points</td>
            <td>
              {signed(pr.interval[0] * 100, 1)} to {signed(pr.interval[1] * 100, 1)} ({conf}); exact test: worse {formatP(pr.pWorse)}, better {formatP(pr.pBetter)}
            </td>
          </tr>
          <MetricRow title="iterations" d={r.iterations} digits={1} conf={conf} />
          <MetricRow title="cost" d={r.costUsd} digits={4} unit="$" conf={conf} />
          <MetricRow title="invariant violations" d={r.violations} digits={2} conf={conf} />
        </tbody>
      </table>
    </div>
  )
}
