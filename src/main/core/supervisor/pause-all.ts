/**
 * The andon cord: pause every running loop at once, each with a Paused event carrying the
 * operator's reason. A loop another process drives is reported with who drives it, never
 * silently skipped; one that refuses (it stopped meanwhile) is reported with why.
 */
import type { PauseAllResult } from '../../../shared/contract'
import type { TraceStore } from '../store/trace-store'
import type { Supervisor } from './supervisor'

export const STOP_ALL = 'stop all'

export async function pauseAll(supervisor: Supervisor, store: TraceStore, reason: string, by = 'operator'): Promise<PauseAllResult> {
  const why = reason.trim() ? `${STOP_ALL}: ${reason.trim()}` : STOP_ALL
  const running = store.loopIdsWithStatus('running').filter((loopId) => !supervisor.liveState(loopId).readOnly)
  const result: PauseAllResult = { paused: 0, pausedLoopIds: [], elsewhere: [], failed: [] }
  const here: string[] = []
  for (const loopId of running) {
    const holder = supervisor.leases.heldElsewhere(loopId)
    if (holder) result.elsewhere.push({ loopId, name: supervisor.liveState(loopId).spec.name, holder })
    else here.push(loopId)
  }
  // All at once: each loop stops at its own next safe point, none waits for another.
  const outcomes = await Promise.allSettled(here.map((loopId) => supervisor.pause(loopId, why, { by })))
  outcomes.forEach((o, i) => {
    const loopId = here[i]
    if (o.status === 'fulfilled' && o.value.status === 'paused') result.pausedLoopIds.push(loopId)
    else result.failed.push({ loopId, error: o.status === 'rejected' ? (o.reason as Error).message : `it stopped as ${o.value.status} before the pause` })
  })
  result.paused = result.pausedLoopIds.length
  return result
}
