/**
 * The loop's autonomy mode, changeable while it runs: recorded as a `setAutonomy` patch with a why,
 * it gates the next proposed call (a call already waiting keeps waiting).
 */
import { useState } from 'react'
import { isAutonomyMode } from '../../../../shared/names'
import type { LoopState } from '../../../../shared/state'
import { AutonomySelect } from '../../components/AutonomySelect'
import { SubmitForm } from '../../components/SubmitForm'
import { useCommand } from '../../lib/use-command'
import { andon } from '../../transport'

export function AutonomyControl({ state }: { state: LoopState }) {
  const [mode, setMode] = useState<string>(state.autonomy)
  const [why, setWhy] = useState('')
  const { busy, error, run } = useCommand()
  const changeable = !state.readOnly && state.status !== 'terminated'
  const changed = mode !== state.autonomy

  async function apply() {
    if (!isAutonomyMode(mode) || !changed) return
    // No expected version: a running loop moves on between the look and the click, and the mode
    // is a plain setting of the next call's gate, not a decision about what the operator saw.
    const done = await run('set autonomy', () => andon.patchState({ loopId: state.loopId, patch: { ops: [{ op: 'setAutonomy', mode }] }, why: why.trim() }))
    if (done) setWhy('')
  }

  if (!changeable) return <span data-testid="loop-autonomy">autonomy {state.autonomy}</span>
  return (
    <SubmitForm className="autonomy-control" data-testid="autonomy-control" onSubmit={apply}>
      <label>
        autonomy{' '}
        <AutonomySelect testid="autonomy-select" value={mode} onChange={setMode} />
      </label>
      {changed && (
        <>
          <input data-testid="autonomy-why" aria-label="Why change the autonomy mode (recorded with the patch)" value={why} maxLength={2000} onChange={(e) => setWhy(e.target.value)} placeholder="why (recorded)" />
          <button type="submit" className="primary" data-testid="autonomy-apply" disabled={busy}>
            Set {mode}
          </button>
          <button type="button" onClick={() => setMode(state.autonomy)}>
            Keep {state.autonomy}
          </button>
        </>
      )}
      {error && <span className="error">{error}</span>}
    </SubmitForm>
  )
}
