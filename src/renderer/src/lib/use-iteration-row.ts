/**
 * One iteration's row of the selected loop and the row after it (where its events end), from the
 * timeline's window when it holds them, else fetched: the window holds only the pages in view.
 */
import { useEffect, useState } from 'react'
import type { IterationRow } from '../../../shared/iterations'
import { useStore } from '../store'
import { andon, errorMessage } from '../transport'

export interface ShownRows {
  row: IterationRow
  /** The next iteration's row; null when this is the newest. */
  next: IterationRow | null
}

/** The rows of `iteration` (null: the newest), or null until they are known. */
export function useIterationRow(iteration: number | null): { shown: ShownRows | null; error: string | null } {
  const detail = useStore((st) => st.detail)
  // A live row changes in place: rowsRev says when.
  useStore((st) => st.detail?.rowsRev)
  const [fetched, setFetched] = useState<{ key: string; shown: ShownRows } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const loopId = detail?.loopId ?? null
  const span = detail?.rows.span
  const at = iteration ?? span?.last ?? 0
  const isNewest = span !== undefined && at >= span.last
  const row = detail?.rows.rows.get(at)
  const next = isNewest ? null : detail?.rows.rows.get(at + 1)
  const held = row && next !== undefined ? { row, next } : null
  const key = `${loopId}:${at}`

  useEffect(() => {
    if (held || !loopId || at === 0) return
    let stale = false
    setError(null)
    andon.getIterations({ loopId, fromIteration: at, toIteration: at + 1, limit: 2 }).then(
      ({ rows }) => {
        if (stale) return
        const r = rows.find((x) => x.iteration === at)
        if (!r) return setError(`loop ${loopId} has no iteration ${at}`)
        setFetched({ key, shown: { row: r, next: rows.find((x) => x.iteration === at + 1) ?? null } })
      },
      (err: unknown) => !stale && setError(errorMessage(err))
    )
    return () => {
      stale = true
    }
    // `held` is a new object each render; whether the rows are held is what matters.
  }, [loopId, at, key, held === null])

  if (held) return { shown: held, error: null }
  return { shown: fetched?.key === key ? fetched.shown : null, error }
}
