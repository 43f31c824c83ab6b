/** A loop's workspace folder, so the paths its tool calls name can be shown relative to it. */
import { useEffect, useState } from 'react'
import { useStore } from '../store'
import { andon } from '../transport'

export function useWorkspace(loopId: string): string | null {
  const shown = useStore((st) => (st.detail?.loopId === loopId ? st.detail.state.workspace : undefined))
  const [fetched, setFetched] = useState<string | null>(null)
  useEffect(() => {
    if (shown !== undefined || !loopId) return
    let stale = false
    // The workspace is fixed when the loop is created: the state after its first event names it,
    // without reading the loop's newest rows as getLoop would. Unknown, paths just stay absolute.
    andon.stateAt({ loopId, version: 1 }).then(
      (s) => !stale && setFetched(s.workspace),
      () => undefined
    )
    return () => {
      stale = true
    }
  }, [loopId, shown])
  return shown !== undefined ? shown : fetched
}
