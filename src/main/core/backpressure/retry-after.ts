/**
 * `retry-after` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Returns milliseconds to wait from `now`, or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value == null) return null
  const v = value.trim()
  if (v === '') return null
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000)
  const at = Date.parse(v)
  if (Number.isNaN(at)) return null
  return Math.max(0, at - now)
}
