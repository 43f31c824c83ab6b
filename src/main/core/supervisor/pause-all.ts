/**
 * The andon cord: pause every running loop at once, each with a Paused event carrying the
 * operator's reason; a loop paused by an open circuit is held too, instead of resuming by itself.
 * A loop another process drives is reported with who drives it, never silently skipped; one
 * that stopped for the operator meanwhile keeps the pause for when it is answered; one that
 * refuses is reported with why.
 */
import type { PauseAllResult } from '../../../shared/contract'
import type { TraceStore } from '../store/trace-store'
import type { Supervisor } from './supervisor'

export const STOP_ALL = 'stop all'

export async function pauseAll(supervisor: Supervisor, store: TraceStore, reason: string, by = 'operator'): Promise<PauseAllResult> {
  const why = reason.trim() ? `${STOP_ALL}: ${reason.trim()}` : STOP_ALL
  const resumingByItself = store.loopIdsWithStatus('paused').filter((loopId) => supervisor.liveState(loopId).autoResumeAt !== null)
  const toPause = [...store.loopIdsWithStatus('running'), ...resumingByItself].filter((loopId) => !supervisor.liveState(loopId).readOnly)
  const result: PauseAllResult = { paused: 0, pausedLoopIds: [], elsewhere: [], waiting: [], failed: [] }
  const here: string[] = []
  for (const loopId of toPause) {
    const holder = supervisor.leases.heldElsewhere(loopId)
    if (holder) result.elsewhere.push({ loopId, name: supervisor.liveState(loopId).spec.name, holder })
    else here.push(loopId)
  }
  // All at once: each loop stops at its own next safe point, none waits for another.
  const outcomes = await Promise.allSettled(here.map((loopId) => supervisor.pause(loopId, why, { by })))
  outcomes.forEach((o, i) => {
    const loopId = here[i]
    const status = o.status === 'fulfilled' ? o.value.status : null
    if (status === 'paused') result.pausedLoopIds.push(loopId)
    // Its driver keeps the pause: answering it sets the loop going only as far as the pause.
    else if (status === 'awaiting-approval' || status === 'escalated') result.waiting.push({ loopId, name: supervisor.liveState(loopId).spec.name, status })
    else result.failed.push({ loopId, error: o.status === 'rejected' ? (o.reason as Error).message : `it stopped as ${status} before the pause` })
  })
  result.paused = result.pausedLoopIds.length
  return result
}
