/**
 * Two runs side by side (e.g. a loop and its replay, or a loop and a fork): per iteration the
 * action each took and what came of it, totals, and the first iteration where they differ.
 */
import type { Action } from './spec'

export interface RunTotals {
  loopId: string
  name: string
  status: string
  terminationReason: string | null
  iterations: number
  inputTokens: number
  outputTokens: number
  costUsd: number
}

export interface ComparedStep {
  action: Action | null
  ok: boolean | null
  summary: string
  costUsd: number
  inputTokens: number
  outputTokens: number
}

export interface ComparedIteration {
  iteration: number
  a: ComparedStep | null
  b: ComparedStep | null
  /** Same action (tool and args) with the same outcome. */
  same: boolean
  /** What differs, named (`args.path: a.js vs b.js`); null when the steps are the same. */
  difference: string | null
  /** Both runs share this iteration: it happened before one was forked from the other's line. */
  inherited: boolean
}

export interface LoopComparison {
  a: RunTotals
  b: RunTotals
  rows: ComparedIteration[]
  /** Where the runs' lines part when one is forked from the other (or both from one loop); null otherwise. */
  forkedAt: { loopId: string; iteration: number } | null
  /** First iteration where the runs differ (after the fork point); null when they match throughout. */
  divergedAt: number | null
  divergence: string | null
}

const MAX_NAMED = 3
const MAX_VALUE = 60

function shown(value: unknown): string {
  if (value === undefined) return '(none)'
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text
}

/** Paths where two values differ (`args.path`, `args.files[1]`), with each side's value, depth first. */
export function valueDifferences(a: unknown, b: unknown, path: string): { path: string; a: unknown; b: unknown }[] {
  if (Object.is(a, b)) return []
  const bothArrays = Array.isArray(a) && Array.isArray(b)
  const bothObjects = !bothArrays && a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)
  if (bothArrays) {
    const out = []
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...valueDifferences(a[i], b[i], `${path}[${i}]`))
    return out
  }
  if (bothObjects) {
    const ra = a as Record<string, unknown>
    const rb = b as Record<string, unknown>
    const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()
    return keys.flatMap((k) => valueDifferences(ra[k], rb[k], /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`))
  }
  return [{ path, a, b }]
}

function outcome(s: ComparedStep): string {
  return s.ok === null ? 'no result' : s.ok ? 'ok' : 'failed'
}

function described(s: ComparedStep | null): string {
  if (!s) return 'nothing'
  const action = s.action ? s.action.tool : 'no action'
  return s.ok === null ? action : `${action} (${outcome(s)})`
}

/**
 * What differs between two steps, said the way an operator compares them: the tools, else the
 * arguments by name (`replace_in_file args.path: a.js vs b.js`), else the outcome. Null when equal.
 */
export function stepDifference(a: ComparedStep | null, b: ComparedStep | null): string | null {
  if (!a || !b || !a.action || !b.action) {
    const same = a && b && !a.action && !b.action && a.ok === b.ok
    return same ? null : `${described(a)} vs ${described(b)}`
  }
  if (a.action.tool !== b.action.tool) return `${described(a)} vs ${described(b)}`
  const args = valueDifferences(a.action.args, b.action.args, 'args')
  if (args.length > 0) {
    const named = args.slice(0, MAX_NAMED).map((d) => {
      // 1 and "1" read alike bare: quote the text when that is all that tells them apart.
      const [x, y] = shown(d.a) === shown(d.b) ? [JSON.stringify(d.a), JSON.stringify(d.b)] : [shown(d.a), shown(d.b)]
      return `${d.path}: ${x} vs ${y}`
    })
    const more = args.length > MAX_NAMED ? `; ${args.length - MAX_NAMED} more` : ''
    return `${a.action.tool} ${named.join('; ')}${more}`
  }
  return a.ok === b.ok ? null : `${a.action.tool}: ${outcome(a)} vs ${outcome(b)}`
}
