/** Small formatting helpers for a control room that must be readable at a glance. */
import type { Action } from '../../../shared/spec'

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

export function fmtMs(n: number | null): string {
  if (n === null) return '—'
  return n >= 1000 ? `${(n / 1000).toFixed(1)}s` : `${Math.round(n)}ms`
}

export function fmtTime(at: number): string {
  return new Date(at).toLocaleTimeString()
}

function shortValue(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return s.length > 40 ? `${s.slice(0, 39)}…` : s
}

/** `shell(cmd="npm test")`, shortened for a timeline row. */
export function fmtAction(action: Action | null): string {
  if (!action) return '—'
  const args = Object.entries(action.args)
    .map(([k, v]) => `${k}=${shortValue(v)}`)
    .join(' ')
  return args ? `${action.tool}(${args})` : action.tool
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'undefined'
}
