/**
 * The window of iteration rows the renderer holds for the selected loop: pages of ITERATION_PAGE
 * iterations counted from the loop's first, fetched as the timeline needs them and dropped, least
 * recently used first, past a cap. The newest page is never dropped: live events fold into it.
 * Pure functions over the window; detail-slice owns the window and the requests.
 */
import { ITERATION_PAGE, type IterationRow, type IterationSpan } from '../../../shared/iterations'

/** Pages kept at most (the newest and those in view are kept beyond it). */
export const MAX_PAGES = 12

export interface RowWindow {
  /** Iterations span.first..span.last exist; the list has one slot for each. */
  span: IterationSpan
  /** The fetched rows, by iteration (sparse). */
  rows: Map<number, IterationRow>
  /** Pages held, each with when it was last needed (a counter, for least-recently-used eviction). */
  pages: Map<number, number>
  tick: number
}

/** The page an iteration is on. */
export const pageOf = (span: IterationSpan, iteration: number): number => Math.floor((iteration - span.first) / ITERATION_PAGE)

/** The iterations of a page. */
export function pageIterations(span: IterationSpan, page: number): [number, number] {
  const from = span.first + page * ITERATION_PAGE
  return [from, from + ITERATION_PAGE - 1]
}

/** The pages that hold list slots `start`..`end` (slot i is iteration span.first + i). */
export function pagesFor(span: IterationSpan, start: number, end: number): number[] {
  if (span.last === 0 || end < start) return []
  const lastSlot = span.last - span.first
  const lo = Math.floor(Math.max(0, start) / ITERATION_PAGE)
  const hi = Math.floor(Math.min(lastSlot, end) / ITERATION_PAGE)
  const out: number[] = []
  for (let p = lo; p <= hi; p++) out.push(p)
  return out
}

/** A window holding the newest rows, as getLoop sends them. */
export function newWindow(span: IterationSpan, newest: IterationRow[]): RowWindow {
  const w: RowWindow = { span: { ...span }, rows: new Map(), pages: new Map(), tick: 0 }
  for (const r of newest) w.rows.set(r.iteration, r)
  // Only pages the newest rows cover whole count as held; a partial older page is fetched when needed.
  if (span.last > 0) {
    const oldest = newest[0]?.iteration ?? span.last
    for (let p = pageOf(span, span.last); p >= 0 && pageIterations(span, p)[0] >= oldest; p--) w.pages.set(p, 0)
    if (!w.pages.has(pageOf(span, span.last))) w.pages.set(pageOf(span, span.last), 0)
  }
  return w
}

/** Mark pages as needed now (their eviction moves to the back). */
export function touch(w: RowWindow, pages: number[]): void {
  w.tick++
  for (const p of pages) if (w.pages.has(p)) w.pages.set(p, w.tick)
}

/**
 * Add a fetched page. Rows older than the live one are final and taken as they come; the live
 * row (the newest) is kept as the pushed events made it, and rows past it are left for the pushes
 * to create, so no event is folded twice.
 */
export function addPage(w: RowWindow, page: number, rows: IterationRow[]): void {
  for (const r of rows) {
    if (r.iteration > w.span.last) continue
    if (r.iteration === w.span.last && w.rows.has(r.iteration)) continue
    w.rows.set(r.iteration, r)
  }
  w.pages.set(page, w.tick)
}

/** Drop the least recently needed pages past MAX_PAGES, never the newest page nor one in `keep`. */
export function evict(w: RowWindow, keep: number[], cap = MAX_PAGES): number[] {
  const newest = pageOf(w.span, w.span.last)
  const candidates = [...w.pages].filter(([p]) => p !== newest && !keep.includes(p)).sort((a, b) => a[1] - b[1])
  const dropped: number[] = []
  for (const [p] of candidates) {
    if (w.pages.size <= cap) break
    w.pages.delete(p)
    const [from, to] = pageIterations(w.span, p)
    for (let i = from; i <= to; i++) w.rows.delete(i)
    dropped.push(p)
  }
  return dropped
}

/**
 * Fold a row the live fold touched into the window: the span grows with a new iteration, and the
 * page it starts is held from then on.
 */
export function foldedRow(w: RowWindow, row: IterationRow): void {
  w.rows.set(row.iteration, row)
  if (w.span.last === 0) w.span.first = row.iteration
  if (row.iteration > w.span.last) {
    w.span.last = row.iteration
    const page = pageOf(w.span, row.iteration)
    if (!w.pages.has(page)) w.pages.set(page, w.tick)
  }
}
