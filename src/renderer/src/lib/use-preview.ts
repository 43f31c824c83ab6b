/** The core's preview of a file edit, read again (after a pause in typing) whenever the call's args change. */
import { useEffect, useState } from 'react'
import type { ActionPreview } from '../../../shared/preview'
import type { Action } from '../../../shared/spec'
import { andon, errorMessage } from '../transport'

/** Long enough that typing in the args does not read the file on every key. */
const SETTLE_MS = 250

export function usePreview(loopId: string, action: Action | null): { preview: ActionPreview | null; loading: boolean } {
  const [preview, setPreview] = useState<ActionPreview | null>(null)
  const [loading, setLoading] = useState(false)
  const key = action ? JSON.stringify(action) : ''
  useEffect(() => {
    if (!key) {
      setPreview(null)
      return
    }
    let stale = false
    setLoading(true)
    const timer = setTimeout(() => {
      andon.previewAction({ loopId, action: JSON.parse(key) as Action }).then(
        (p) => !stale && setPreview(p),
        (err: unknown) => !stale && setPreview({ kind: 'unavailable', path: null, message: `no preview: ${errorMessage(err)}` })
      ).finally(() => !stale && setLoading(false))
    }, SETTLE_MS)
    return () => {
      stale = true
      clearTimeout(timer)
    }
  }, [loopId, key])
  return { preview, loading }
}
