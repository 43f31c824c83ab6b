/**
 * Fetching the selected loop's iteration rows as the timeline needs them: one request per page
 * at a time, the pages in view kept over the others when the window is full.
 */
import { ITERATION_PAGE } from '../../../shared/iterations'
import { andon, errorMessage } from '../transport'
import { useStore } from './index'
import { pageIterations, pagesFor } from './row-window'

const inFlight = new Set<string>()

/** Make sure the rows of list slots `start`..`end` (slot i: iteration first + i) are held or on their way. */
export function needRows(start: number, end: number): void {
  const st = useStore.getState()
  const detail = st.detail
  if (!detail) return
  const { loopId } = detail
  const pages = pagesFor(detail.rows.span, start, end)
  st.touchRowPages(loopId, pages)
  for (const page of pages) {
    const key = `${loopId}:${page}`
    if (detail.rows.pages.has(page) || inFlight.has(key)) continue
    inFlight.add(key)
    const [fromIteration, toIteration] = pageIterations(detail.rows.span, page)
    andon
      .getIterations({ loopId, fromIteration, toIteration, limit: ITERATION_PAGE })
      .then(
        ({ rows }) => useStore.getState().addRowPage(loopId, page, rows, pages),
        (err: unknown) => useStore.getState().notify(`iterations ${fromIteration}–${toIteration}: ${errorMessage(err)}`)
      )
      .finally(() => inFlight.delete(key))
  }
}
