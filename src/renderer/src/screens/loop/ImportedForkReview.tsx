/**
 * Before a loop from a bundle runs here: what its fork would run and where, and what of that the
 * operator keeps. Secrets and the named folder are left out, and every action waits for approval,
 * unless the operator chooses otherwise.
 */
import { useEffect, useState } from 'react'
import type { ForkConfirmation, ForkReview } from '../../../../shared/contract'
import type { AutonomyMode } from '../../../../shared/spec'
import { andon, errorMessage } from '../../transport'

const MODES: AutonomyMode[] = ['approve-every-action', 'approve-risky', 'suggest-only', 'autonomous']

export function ImportedForkReview(props: { loopId: string; atVersion: number; busy: boolean; onConfirm(confirm: ForkConfirmation): void; onCancel(): void }) {
  const [review, setReview] = useState<ForkReview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [autonomy, setAutonomy] = useState<AutonomyMode>('approve-every-action')
  const [keepSecrets, setKeepSecrets] = useState(false)
  const [copyWorkspace, setCopyWorkspace] = useState(false)
  const [keepAllowRules, setKeepAllowRules] = useState(false)

  useEffect(() => {
    andon.reviewFork({ loopId: props.loopId, atVersion: props.atVersion }).then(setReview, (err: unknown) => setError(errorMessage(err)))
  }, [props.loopId, props.atVersion])

  if (error) return <p className="error">{error}</p>
  if (!review) return <p className="muted">Reading what the fork would run…</p>
  return (
    <div className="fork-review" data-testid="fork-review" role="dialog" aria-label="Review before running a loop from a bundle">
      <h4>This loop came from a bundle: review before it runs here</h4>
      <p className="hint">Whoever wrote the bundle chose these. Nothing runs until you confirm.</p>
      <dl>
        <dt>Commands it can run</dt>
        <dd data-testid="fork-review-commands">
          {review.commands.length === 0 ? (
            <span className="muted">none named in its spec</span>
          ) : (
            <ul>
              {review.commands.map((c, i) => (
                <li key={i}>
                  <code>{c.command}</code> <span className="muted">({c.from})</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Tools</dt>
        <dd>{review.tools.join(', ')}</dd>
        <dt>Policy</dt>
        <dd>
          {review.policy}
          {review.endpoint ? ` → ${review.endpoint.url}${review.endpoint.allowed ? '' : ' (not allowed by your configuration)'}` : ''}
        </dd>
        <dt>Its autonomy</dt>
        <dd>{review.autonomy}</dd>
      </dl>
      <label>
        Run the fork under
        <select data-testid="fork-review-autonomy" value={autonomy} onChange={(e) => setAutonomy(e.target.value as AutonomyMode)}>
          {MODES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      {review.secrets.length > 0 && (
        <label className="check">
          <input type="checkbox" data-testid="fork-review-secrets" checked={keepSecrets} onChange={(e) => setKeepSecrets(e.target.checked)} />
          Hand it these secrets from my environment: <code>{review.secrets.join(', ')}</code>
        </label>
      )}
      {review.workspace && (
        <label className="check">
          <input type="checkbox" data-testid="fork-review-workspace" checked={copyWorkspace} onChange={(e) => setCopyWorkspace(e.target.checked)} />
          Copy this folder of my machine into its workspace: <code>{review.workspace}</code>
        </label>
      )}
      {review.allowRules.length > 0 && (
        <label className="check">
          <input type="checkbox" data-testid="fork-review-allow-rules" checked={keepAllowRules} onChange={(e) => setKeepAllowRules(e.target.checked)} />
          Keep its allow rules (these calls would run without asking, whatever the autonomy): <code>{review.allowRules.join(', ')}</code>
        </label>
      )}
      <div className="actions">
        <button className="primary" data-testid="fork-review-confirm" disabled={props.busy} onClick={() => props.onConfirm({ autonomy, keepSecrets, copyWorkspace, keepAllowRules })}>
          Fork and run with these choices
        </button>
        <button onClick={props.onCancel}>Cancel</button>
      </div>
    </div>
  )
}
