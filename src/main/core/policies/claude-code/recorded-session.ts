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

/** A loop's recorded decisions with their session marks, by iteration, with the version each was recorded at. */
interface ReadHistory {
  marks: Map<number, SessionMark & { version: number }>
  readOnly: boolean
  /** Iteration `k` ended (observed, or its call rejected) by version `by`. */
  ended: boolean
}

/** One pass over a loop's events: its marks, whether it was imported, whether iteration `k` ended by `by`. */
function readHistory(store: TraceStore, loopId: string, k: number, by: number): ReadHistory {
  const out: ReadHistory = { marks: new Map(), readOnly: false, ended: false }
  let callId: string | null = null
  for (const ev of store.iterateStream(loopId)) {
    if (ev.type === 'LoopCreated') out.readOnly = ev.data.readOnly
    if (ev.type === 'DecisionMade') {
      const mark = markOf(ev.data.rawResponse)
      if (mark) out.marks.set(ev.data.iteration, { ...mark, version: ev.version })
    }
    if (ev.version > by) continue
    if (ev.type === 'Observed' && ev.data.iteration === k) out.ended = true
    if (ev.type === 'ActionProposed' && ev.data.iteration === k) callId = ev.data.callId
    if (ev.type === 'ActionRejected' && ev.data.callId === callId) out.ended = true
  }
  return out
}

export function resumePointFor(state: LoopState, store: TraceStore): ResumePoint | null {
  const own = [...readHistory(store, state.loopId, 0, 0).marks.values()].at(-1)
  if (own) return { sessionId: own.sessionId, fork: false }
  if (!state.parentLoopId || state.forkedAtVersion === null) return null
  const k = state.iteration
  const parent = readHistory(store, state.parentLoopId, k, state.forkedAtVersion)
  // A loop imported from a bundle: its conversation stayed on the machine that recorded it.
  if (parent.readOnly) return null
  // A fork: the parent's conversation as it stood before its next call after the fork point.
  const next = k === 0 || parent.ended ? parent.marks.get(k + 1) : parent.marks.get(k)
  if (next) return { sessionId: next.sessionId, at: next.resumeAt ?? undefined, fork: true }
  // Forked after the parent's last decision: its whole conversation.
  const latest = [...parent.marks.values()].filter((m) => m.version <= state.forkedAtVersion!).at(-1)
  return latest ? { sessionId: latest.sessionId, fork: true } : null
}
