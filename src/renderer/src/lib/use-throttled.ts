/**
 * A value that follows `value` at most once every `ms`: the first change shows at once, changes in
 * quick succession are folded into one, and the latest always shows within `ms`.
 */
import { useEffect, useRef, useState } from 'react'

export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value)
  const shownAt = useRef(0)
  useEffect(() => {
    const show = () => {
      shownAt.current = Date.now()
      setShown(() => value)
    }
    const wait = shownAt.current + ms - Date.now()
    if (wait <= 0) return show()
    const timer = setTimeout(show, wait)
    return () => clearTimeout(timer)
  }, [value, ms])
  return shown
}
