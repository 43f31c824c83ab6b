/**
 * Formatting for a control room that must be readable at a glance: numbers, money, and every
 * date, duration and relative time on screen (one place, so all screens agree).
 */
export function fmtTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`
  if (n >= 10_000) return `${Math.round(n / 1000)}k`
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`
  return String(n)
}

export function fmtUsd(n: number): string {
  if (n === 0) return '$0'
  return n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`
}

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const pad = (n: number) => String(n).padStart(2, '0')

/** A span of time, at the precision that matters for its size: 850ms, 4.2s, 3m 05s, 2h 14m, 3d 4h. */
export function fmtDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—'
  const n = Math.max(0, ms)
  if (n < SECOND) return `${Math.round(n)}ms`
  if (n < MINUTE) return `${(Math.floor(n / 100) / 10).toFixed(1)}s`
  if (n < HOUR) return `${Math.floor(n / MINUTE)}m ${pad(Math.floor((n % MINUTE) / SECOND))}s`
  if (n < DAY) return `${Math.floor(n / HOUR)}h ${pad(Math.floor((n % HOUR) / MINUTE))}m`
  return `${Math.floor(n / DAY)}d ${Math.floor((n % DAY) / HOUR)}h`
}

/** Latency of a call (a duration; kept under its old name for the screens that show latency). */
export const fmtMs = fmtDuration

/** Time left on a clock, as a countdown reads: 0:42, 12:05, 1:02:09. */
export function fmtCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / SECOND))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}

/** A full local date and time: 2025-03-04 14:02:11. */
export function fmtDateTime(at: number): string {
  const d = new Date(at)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${fmtClock(at)}`
}

/** The local wall-clock time: 14:02:11. */
export function fmtClock(at: number): string {
  const d = new Date(at)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** A wall-clock time as short as it can be without being ambiguous: the time today, else the date too. */
export function fmtWhen(at: number, now: number): string {
  const a = new Date(at)
  const b = new Date(now)
  const sameDay = a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
  return sameDay ? fmtClock(at) : fmtDateTime(at).slice(0, 16)
}

/** How long ago (or how soon): just now, 42s ago, 5m ago, 3h ago, 2d ago, in 5m. */
export function fmtRelative(at: number, now: number): string {
  const delta = now - at
  const n = Math.abs(delta)
  if (n < 5 * SECOND) return 'just now'
  const span =
    n < MINUTE ? `${Math.floor(n / SECOND)}s` : n < HOUR ? `${Math.floor(n / MINUTE)}m` : n < DAY ? `${Math.floor(n / HOUR)}h` : `${Math.floor(n / DAY)}d`
  return delta >= 0 ? `${span} ago` : `in ${span}`
}

/** Kept for the screens that show a plain local time. */
export function fmtTime(at: number): string {
  return fmtClock(at)
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'undefined'
}
