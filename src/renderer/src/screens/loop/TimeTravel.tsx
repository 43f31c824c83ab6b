/**
 * Time travel: scrub over the loop's events and see its state as it was then (the same fold,
 * cut at that event). Fork a new loop from that point, optionally with a fact added.
 */
import { useEffect, useState } from 'react'
import type { ForkConfirmation } from '../../../../shared/contract'
import type { LoopState } from '../../../../shared/state'
import { editableState } from '../../../../shared/state'
import { StatusBadge } from '../../components/StatusBadge'
import { fmtDateTime, json } from '../../lib/format'
import { useCommand } from '../../lib/use-command'
import { selectLoop } from '../../store/sync'
import { andon, errorMessage } from '../../transport'
import { ImportedForkReview } from './ImportedForkReview'

export function TimeTravel({ state }: { state: LoopState }) {
  const max = state.version
  const [version, setVersion] = useState(max)
  const [past, setPast] = useState<LoopState | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [fact, setFact] = useState('')
  const { busy, error: forkError, run } = useCommand()

  useEffect(() => {
    let stale = false
    const timer = setTimeout(() => {
      andon.stateAt({ loopId: state.loopId, version }).then(
        (s) => {
          if (stale) return
          setPast(s)
          setError(null)
        },
        (err: unknown) => !stale && setError(errorMessage(err))
      )
    }, 120)
    return () => {
      stale = true
      clearTimeout(timer)
    }
  }, [state.loopId, version])

  // The state after an event knows which iteration it was in.
  const atIteration = past && past.iteration > 0 ? past.iteration : null
  const [jumpTo, setJumpTo] = useState('')

  /** Move the scrubber to the last event of an iteration (its row says which: fetched, the loop may have 100,000). */
  async function jump() {
    const n = Number(jumpTo)
    if (!Number.isInteger(n) || n < 0) return setError(`${jumpTo} is not an iteration number`)
    try {
      const { rows } = await andon.getIterations({ loopId: state.loopId, fromIteration: n, toIteration: n, limit: 1 })
      if (rows[0]) {
        setVersion(rows[0].lastVersion)
        setError(null)
      } else setError(`this loop has no iteration ${n}`)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  const [reviewing, setReviewing] = useState(false)

  async function fork(confirmImported?: ForkConfirmation) {
    // A loop from a bundle is forked only after the operator has seen what it would run.
    if (state.readOnly && !confirmImported) return setReviewing(true)
    const patch = fact.trim() ? { ops: [{ op: 'addFact' as const, fact: fact.trim() }] } : undefined
    const res = await run('fork', () => andon.forkLoop({ loopId: state.loopId, atVersion: version, patch, start: true, confirmImported }))
    if (res) {
      setReviewing(false)
      selectLoop(res.loopId)
    }
  }

  return (
    <section className="time-travel" data-testid="time-travel">
      <div className="scrubber">
        <label>
          Event {version} of {max}
          {atIteration !== null ? ` · iteration ${atIteration}` : ''}
          <input
            type="range"
            data-testid="travel-scrubber"
            min={1}
            max={Math.max(1, max)}
            value={version}
            onChange={(e) => setVersion(Number(e.target.value))}
          />
        </label>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void jump()
          }}
        >
          <label>
            Jump to the end of iteration
            <input type="number" data-testid="travel-iteration" min={0} max={state.iteration} value={jumpTo} placeholder={atIteration !== null ? String(atIteration) : '—'} onChange={(e) => setJumpTo(e.target.value)} />
          </label>
          <button type="submit" data-testid="travel-jump" disabled={jumpTo === ''}>
            Go
          </button>
        </form>
      </div>
      {error && <p className="error">{error}</p>}
      {past && (
        <div className="past-state" data-testid="travel-state" data-version={past.version}>
          <p>
            <StatusBadge status={past.status} reason={past.termination?.reason} /> iteration <strong data-testid="travel-state-iteration">{past.iteration}</strong> ·{' '}
            <time data-testid="travel-state-time" dateTime={new Date(past.updatedAt).toISOString()}>
              {fmtDateTime(past.updatedAt)}
            </time>{' '}
            ·
            last observation: {past.lastObservation ? `${past.lastObservation.ok ? 'ok' : 'fail'} — ${past.lastObservation.summary}` : '—'}
          </p>
          <pre>{json(editableState(past))}</pre>
        </div>
      )}
      <div className="fork-box">
        <h4>Fork from here</h4>
        <p className="hint">A new loop starts from this state; the original is untouched.</p>
        <input data-testid="fork-fact" value={fact} onChange={(e) => setFact(e.target.value)} placeholder="optional: a fact to add to the fork" />
        <div className="actions">
          <button className="primary" data-testid="fork-button" disabled={busy || reviewing} onClick={() => void fork()}>
            Fork from event {version}
          </button>
          {forkError && <span className="error">{forkError}</span>}
        </div>
        {reviewing && (
          <ImportedForkReview loopId={state.loopId} atVersion={version} busy={busy} onConfirm={(c) => void fork(c)} onCancel={() => setReviewing(false)} />
        )}
      </div>
    </section>
  )
}
