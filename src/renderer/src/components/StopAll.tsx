/**
 * The andon cord: one button in the nav that pauses every running loop at once, after a
 * confirmation that takes the reason recorded on each loop. Loops another process drives are
 * named in the answer, so none is left running unnoticed.
 */
import { useRef, useState } from 'react'
import type { PauseAllResult } from '../../../shared/contract'
import { useCommand } from '../lib/use-command'
import { useStore } from '../store'
import { andon } from '../transport'

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`

export function StopAll() {
  const running = useStore((st) => st.runningIds.size)
  const dialog = useRef<HTMLDialogElement>(null)
  const [reason, setReason] = useState('')
  const [result, setResult] = useState<PauseAllResult | null>(null)
  const { busy, error, run, setError } = useCommand()

  function open() {
    setResult(null)
    setError(null)
    setReason('')
    // A modal <dialog> holds focus, closes on Escape and gives focus back to the button.
    dialog.current?.showModal()
  }

  async function pull() {
    const r = await run('stop all', () => andon.pauseAll({ reason }))
    if (r) setResult(r)
  }

  return (
    <>
      <button className="danger andon-cord" data-testid="stop-all" title="Pause every running loop at once" onClick={open}>
        Stop all{running > 0 ? ` (${running})` : ''}
      </button>
      <dialog ref={dialog} className="card stop-all-dialog" aria-labelledby="stop-all-title" data-testid="stop-all-dialog">
        <h2 id="stop-all-title">Stop every running loop?</h2>
        {result ? (
          <div data-testid="stop-all-result">
            <p>
              Paused {plural(result.paused, 'loop')}. Each is recorded as paused for &quot;stop all&quot;; resume them one by one.
            </p>
            {result.elsewhere.map((e) => (
              <p key={e.loopId} className="warn" data-testid="stop-all-elsewhere">
                {e.name} is driven by {e.holder}: pause it there.
              </p>
            ))}
            {result.waiting.map((w) => (
              <p key={w.loopId} className="warn" data-testid="stop-all-waiting">
                {w.name} stopped to wait for you ({w.status === 'escalated' ? 'an escalation' : 'an approval'}) first: it pauses as soon as you answer it, before its next
                step.
              </p>
            ))}
            {result.failed.map((f) => (
              <p key={f.loopId} className="bad">
                {f.loopId}: {f.error}
              </p>
            ))}
          </div>
        ) : (
          <>
            <p>
              {running > 0 ? `${plural(running, 'loop')} running: each pauses at its next safe point` : 'No loop is running right now'}; waiting loops stay as they
              are.
            </p>
            <label>
              Reason (recorded on each loop)
              <input data-testid="stop-all-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. provider incident" />
            </label>
          </>
        )}
        {error && <p className="error">{error}</p>}
        <div className="actions">
          {!result && (
            <button className="danger" data-testid="stop-all-confirm" disabled={busy} onClick={() => void pull()}>
              {busy ? 'Pausing…' : 'Pause every running loop'}
            </button>
          )}
          <button data-testid="stop-all-close" onClick={() => dialog.current?.close()}>
            {result ? 'Close' : 'Cancel'}
          </button>
        </div>
      </dialog>
    </>
  )
}
