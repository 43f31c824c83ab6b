/** After a patch: what changed, and the button that resumes the loop from the patched state. */
import type { EditableState } from '../../../shared/patch'
import { useCommand } from '../lib/use-command'
import { andon } from '../transport'
import { StateDiff } from './StateDiff'

export function PatchResult({ loopId, before, after, onResumed }: { loopId: string; before: EditableState; after: EditableState; onResumed?: () => void }) {
  const { busy, error, run } = useCommand()
  return (
    <div className="patch-result" data-testid="patch-result">
      <h4>Patched — what changed</h4>
      <StateDiff before={before} after={after} />
      <div className="actions">
        <button
          className="primary"
          data-testid="patch-resume"
          disabled={busy}
          onClick={async () => {
            const ok = await run('resume', () => andon.resumeLoop({ loopId }))
            if (ok) onResumed?.()
          }}
        >
          Resume from patched state
        </button>
        {error && <span className="error">{error}</span>}
      </div>
    </div>
  )
}
