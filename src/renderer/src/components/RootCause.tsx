/** A failed run's root cause: its category, the invariant that stopped it, and a link to the first failing iteration. */
import { ROOT_CAUSE_LABELS, type RootCause } from '../../../shared/root-cause'
import { formatRoute } from '../lib/route'

export function RootCauseLine({ loopId, cause }: { loopId: string; cause: RootCause }) {
  const first = cause.firstFailingIteration
  return (
    <div className="root-cause" data-testid="root-cause" data-category={cause.category}>
      <p>
        Root cause: <strong data-testid="root-cause-category">{ROOT_CAUSE_LABELS[cause.category]}</strong>
        {cause.invariant && (
          <>
            {' '}
            · invariant <code data-testid="root-cause-invariant">{cause.invariant}</code>
          </>
        )}
        {first !== null && (
          <>
            {' '}
            · first failing{' '}
            <a data-testid="root-cause-iteration" href={formatRoute({ view: 'loop', loopId, tab: 'timeline', iteration: first })}>
              iteration {first}
            </a>
          </>
        )}
      </p>
      {cause.detail && (
        <p className="muted" data-testid="root-cause-detail">
          {cause.detail}
        </p>
      )}
    </div>
  )
}
