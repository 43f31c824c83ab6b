/** Failed stops by root cause over the window: which failure dominates, the counts, and the days. */
import type { FleetFailures } from '../../../../shared/fleet'
import { ROOT_CAUSE_LABELS, RootCauseCategory } from '../../../../shared/root-cause'
import { CATEGORY_COLORS, FailureChart } from './FailureChart'

export function Failures({ failures, days }: { failures: FleetFailures; days: number }) {
  const { dominant, total, byCategory } = failures
  const rows = RootCauseCategory.options.filter((c) => byCategory[c]).sort((a, b) => byCategory[b]! - byCategory[a]!)
  return (
    <div className="card" data-testid="fleet-failures">
      <h3>
        Failures by root cause{' '}
        <span className="muted" data-testid="fleet-failures-total">
          {total} in {days} days
        </span>
      </h3>
      {dominant ? (
        <p data-testid="fleet-failures-dominant" data-category={dominant}>
          Most stops: <strong>{ROOT_CAUSE_LABELS[dominant]}</strong> ({byCategory[dominant]} of {total})
        </p>
      ) : (
        <p className="muted">No escalations or failed runs in these days.</p>
      )}
      {rows.length > 0 && (
        <table className="fleet-table">
          <tbody>
            {rows.map((c) => (
              <tr key={c}>
                <th scope="row">
                  <svg width="10" height="10" aria-hidden="true" className="swatch">
                    <rect width="10" height="10" fill={CATEGORY_COLORS[c]} />
                  </svg>{' '}
                  {ROOT_CAUSE_LABELS[c]}
                </th>
                <td data-testid={`fleet-failures-${c}`}>{byCategory[c]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FailureChart days={failures.byDay} />
    </div>
  )
}
