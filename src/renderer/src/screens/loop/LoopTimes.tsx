/** When a loop was created, started and ended, how long it has run (wall and active time), live while it runs. */
import type { LoopState } from '../../../../shared/state'
import { fmtDateTime, fmtDuration } from '../../lib/format'
import { pauseSentence } from '../../lib/pause'
import { useNow } from '../../lib/use-now'

export function LoopTimes({ state }: { state: LoopState }) {
  const ended = state.endedAt
  const counting = state.runningSince !== null || (state.startedAt !== null && ended === null) || state.autoResumeAt !== null
  const now = useNow(counting ? 1000 : null)
  const activeMs = state.activeMs + (state.runningSince !== null ? Math.max(0, now - state.runningSince) : 0)
  const elapsed = state.startedAt === null ? null : (ended ?? now) - state.startedAt
  return (
    <div className="loop-times" data-testid="loop-header-times">
      <span data-testid="loop-created-at">created {fmtDateTime(state.createdAt)}</span>
      <span data-testid="loop-started-at">{state.startedAt === null ? 'not started' : `started ${fmtDateTime(state.startedAt)}`}</span>
      {ended !== null && <span data-testid="loop-ended-at">ended {fmtDateTime(ended)}</span>}
      {elapsed !== null && (
        <span data-testid="loop-elapsed" title={ended === null ? 'wall time since it started' : 'wall time from start to end'}>
          elapsed {fmtDuration(elapsed)}
        </span>
      )}
      <span data-testid="loop-active" title="time spent running: not pauses, waits for a human, or time Andon was down">
        active {fmtDuration(activeMs)}
      </span>
      {state.status === 'paused' && state.pause && (
        <span className="pause-line" data-testid="loop-pause">
          {pauseSentence(state.pause, state.autoResumeAt, now)}
        </span>
      )}
    </div>
  )
}
