/**
 * Which Claude Code session a loop continues, read from its events: each decision records the
 * session id and the conversation entry it was made from. After a restart the loop resumes its
 * own session; a fork resumes its parent's, cut at the fork point, as a new session.
 */
import type { LoopState } from '../../../../shared/state'
import type { TraceStore } from '../../store/trace-store'

/** What a claude-code decision keeps in `rawResponse`. */
export interface SessionMark {
  sessionId: string
  /** The conversation's last entry before Claude asked for this call (or, at the end of a turn, its last entry). */
  resumeAt: string | null
}

export interface ResumePoint {
  sessionId: string
  at?: string
  fork: boolean
}

function markOf(rawResponse: unknown): SessionMark | null {
  const m = (rawResponse as { claudeCode?: SessionMark } | null)?.claudeCode
  return m && typeof m.sessionId === 'string' ? m : null
}

function decisions(store: TraceStore, loopId: string, toVersion?: number): Map<number, SessionMark> {
  const out = new Map<number, SessionMark>()
  for (const ev of store.iterateStream(loopId, { toVersion })) {
    if (ev.type !== 'DecisionMade') continue
    const mark = markOf(ev.data.rawResponse)
    if (mark) out.set(ev.data.iteration, mark)
  }
  return out
}

/** Did iteration `k` end (observed or rejected) by `version` in this stream? */
function ended(store: TraceStore, loopId: string, k: number, version: number): boolean {
  let callId: string | null = null
  for (const ev of store.iterateStream(loopId, { toVersion: version })) {
    if (ev.type === 'Observed' && ev.data.iteration === k) return true
    if (ev.type === 'ActionProposed' && ev.data.iteration === k) callId = ev.data.callId
    if (ev.type === 'ActionRejected' && ev.data.callId === callId) return true
  }
  return false
}

export function resumePointFor(state: LoopState, store: TraceStore): ResumePoint | null {
  const own = [...decisions(store, state.loopId).values()].at(-1)
  if (own) return { sessionId: own.sessionId, fork: false }
  if (!state.parentLoopId || state.forkedAtVersion === null) return null
  // A loop imported from a bundle: its conversation stayed on the machine that recorded it.
  const parentCreated = store.readStream(state.parentLoopId, { toVersion: 1 })[0]
  if (parentCreated?.type !== 'LoopCreated' || parentCreated.data.readOnly) return null
  // A fork: the parent's conversation as it stood before its next call after the fork point.
  const parent = decisions(store, state.parentLoopId)
  const k = state.iteration
  const next = k === 0 || ended(store, state.parentLoopId, k, state.forkedAtVersion) ? parent.get(k + 1) : parent.get(k)
  if (next) return { sessionId: next.sessionId, at: next.resumeAt ?? undefined, fork: true }
  // Forked after the parent's last decision: its whole conversation.
  const latest = [...decisions(store, state.parentLoopId, state.forkedAtVersion).values()].at(-1)
  return latest ? { sessionId: latest.sessionId, fork: true } : null
}
