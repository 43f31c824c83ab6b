/** Why the policy proposed the call (subgoal, confidence, rationale) and what it saw last: what an approval is decided on. */
import type { Observation } from '../../../../shared/events'
import type { IterationRow } from '../../../../shared/iterations'
import { plainExcerpt } from '../../lib/excerpt'

/** The card shows the end of the last output; the iteration detail has all of it. */
const EXCERPT_CHARS = 1500

export function DecisionContext({ decision, observation }: { decision: IterationRow | null; observation: Observation | null }) {
  return (
    <section className="decision-context" data-testid="decision-context">
      <dl className="kv">
        <dt>subgoal</dt>
        <dd data-testid="approval-subgoal">{decision?.subgoal || '—'}</dd>
        <dt>confidence</dt>
        <dd data-testid="approval-confidence">{decision?.confidence != null ? `${Math.round(decision.confidence * 100)}%` : '—'}</dd>
        <dt>rationale</dt>
        <dd data-testid="approval-rationale" className="rationale">
          {decision?.rationale || '—'}
        </dd>
      </dl>
      <h4>Last observation</h4>
      {observation ? (
        <div data-testid="approval-observation">
          <p className={observation.ok ? 'ok' : 'bad'}>
            {observation.tool} · {observation.ok ? 'ok' : 'failed'}
            {observation.exitCode !== null ? ` (exit ${observation.exitCode})` : ''} · {observation.summary}
          </p>
          {observation.excerpt && <pre className="excerpt">{plainExcerpt(observation.excerpt, EXCERPT_CHARS)}</pre>}
        </div>
      ) : (
        <p className="muted" data-testid="approval-observation">
          none yet: this is the loop&apos;s first call
        </p>
      )}
    </section>
  )
}
