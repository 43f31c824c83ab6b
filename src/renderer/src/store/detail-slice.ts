/**
 * The selected loop: its state and a window of its iteration rows (see row-window), kept live by
 * folding pushed events with the same pure functions the core uses (`evolve`, `foldIterationRow`).
 * Rows are a mutable projection; `rowsRev` tells React they changed without copying the window.
 */
import type { StateCreator } from 'zustand'
import type { PolicyEndpoint } from '../../../shared/contract'
import type { StoredEvent } from '../../../shared/events'
import type { IterationRow, IterationSpan } from '../../../shared/iterations'
import { foldIterationRow } from '../../../shared/iterations'
import type { LoopState } from '../../../shared/state'
import { evolve } from '../../../shared/state'
import type { Store } from './index'
import { addPage, evict, foldedRow, newWindow, touch, type RowWindow } from './row-window'

export interface OutputChunk {
  version: number
  stream: 'stdout' | 'stderr' | 'info'
  chunk: string
}

export interface LoopDetail {
  loopId: string
  state: LoopState
  /** The rows held: the newest page and those the timeline fetched (by iteration). */
  rows: RowWindow
  rowsRev: number
  /** Where its policy sends requests (null: it calls no provider). */
  endpoint: PolicyEndpoint | null
  /** The live iteration as pushed: its tool output and its other events (see LiveIteration). */
  live: LiveIteration
}

/**
 * The newest iteration's events as they were pushed. `complete` when its IterationStarted was folded
 * here, so `events` (all but tool output) and `chunks` hold everything it has recorded so far and its
 * detail and terminal need no fetch while the loop runs; a loop opened mid-iteration fetches them once.
 */
export interface LiveIteration {
  iteration: number
  complete: boolean
  chunks: OutputChunk[]
  bytes: number
  events: StoredEvent[]
}

export interface DetailSlice {
  detail: LoopDetail | null
  detailError: string | null
  setDetail(detail: { loopId: string; state: LoopState; rows: IterationRow[]; span: IterationSpan; endpoint?: PolicyEndpoint | null }, pending: StoredEvent[]): void
  setDetailError(error: string | null): void
  /** Pages the timeline needs now: they are kept over the others when the window is full. */
  touchRowPages(loopId: string, pages: number[]): void
  /** A fetched page of rows of the selected loop; pages past the cap are dropped (not those in `keep`). */
  addRowPage(loopId: string, page: number, rows: IterationRow[], keep: number[]): void
  /** Fold pushed events of the selected loop; returns false when a gap means a reload is needed. */
  applyEvents(events: StoredEvent[]): boolean
}

/** Live chunks kept in memory for the terminal; the terminal caps what it writes itself. */
export const LIVE_CAP_BYTES = 4 * 1024 * 1024
/** An iteration with more events than this (a long approval dance) is fetched instead. */
const LIVE_CAP_EVENTS = 1000

const liveFrom = (iteration: number, complete: boolean): LiveIteration => ({ iteration, complete, chunks: [], bytes: 0, events: [] })

function fold(detail: LoopDetail, events: StoredEvent[]): LoopDetail | null {
  let { state } = detail
  let live = detail.live
  let rowsTouched = false
  for (const ev of events) {
    if (ev.version <= state.version) continue
    if (ev.version !== state.version + 1) return null
    state = evolve(state, ev)
    const tail = detail.rows.rows.get(detail.rows.span.last)
    const row = foldIterationRow(tail ? [tail] : [], ev)
    if (row) foldedRow(detail.rows, row)
    if (row || ev.type === 'IterationStarted') rowsTouched = true
    if (ev.type === 'IterationStarted') live = liveFrom(ev.data.iteration, true)
    if (ev.type !== 'ToolOutput') {
      if (live.complete && live.events.length >= LIVE_CAP_EVENTS) live = { ...live, complete: false, events: [] }
      else if (live.complete) live = { ...live, events: [...live.events, ev] }
    } else if (live.bytes < LIVE_CAP_BYTES) {
      live = {
        ...live,
        chunks: [...live.chunks, { version: ev.version, stream: ev.data.stream, chunk: ev.data.chunk }],
        bytes: live.bytes + ev.data.chunk.length
      }
    }
  }
  return { ...detail, state, live, rowsRev: rowsTouched ? detail.rowsRev + 1 : detail.rowsRev }
}

export const createDetailSlice: StateCreator<Store, [], [], DetailSlice> = (set, get) => ({
  detail: null,
  detailError: null,
  setDetail: ({ loopId, state, rows, span, endpoint = null }, pending) => {
    const base: LoopDetail = { loopId, state, rows: newWindow(span, rows), rowsRev: 0, endpoint, live: liveFrom(state.iteration, false) }
    set({ detail: fold(base, pending) ?? base, detailError: null })
  },
  setDetailError: (detailError) => set({ detailError }),
  touchRowPages: (loopId, pages) => {
    const detail = get().detail
    if (detail?.loopId === loopId) touch(detail.rows, pages)
  },
  addRowPage: (loopId, page, rows, keep) => {
    const detail = get().detail
    if (detail?.loopId !== loopId) return
    addPage(detail.rows, page, rows)
    evict(detail.rows, keep)
    set({ detail: { ...detail, rowsRev: detail.rowsRev + 1 } })
  },
  applyEvents: (events) => {
    const detail = get().detail
    if (!detail) return true
    const next = fold(detail, events)
    if (!next) return false
    set({ detail: next })
    return true
  }
})
