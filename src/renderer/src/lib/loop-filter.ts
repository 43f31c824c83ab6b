/**
 * Which loops the list shows and in what order: search, filters and sort as one pure function
 * over the summaries, so 10,000 loops are filtered in memory without a query to the core.
 */
import type { LoopSummary } from '../../../shared/contract'
import { TerminationReason } from '../../../shared/spec'

export const TERMINATION_REASONS = TerminationReason.options

export type StatusFilter =
  | 'all'
  | 'attention'
  | 'running'
  | 'waiting'
  | 'escalated'
  | 'paused'
  | 'interrupted'
  | 'finished'
  | `finished:${TerminationReason}`

export type LoopSort = 'updated' | 'created' | 'cost'

export interface ListQuery {
  /** Words to find in the name, loop id or task (all of them, any case). */
  search: string
  status: StatusFilter
  /** null: any policy. */
  policy: string | null
  /** null: any tag. */
  tag: string | null
  sort: LoopSort
}

export const DEFAULT_QUERY: ListQuery = { search: '', status: 'all', policy: null, tag: null, sort: 'created' }

/**
 * A loop an operator should look at: a call or an escalation waits, Andon stopped under it, or a
 * provider's open circuit holds it (it resumes by itself, but nothing runs until then).
 */
export function needsAttention(s: LoopSummary): boolean {
  if (s.waiting > 0 || s.status === 'escalated' || s.status === 'awaiting-approval' || s.status === 'interrupted') return true
  return s.status === 'paused' && s.pause?.by === 'circuit-breaker'
}

function matchesStatus(s: LoopSummary, f: StatusFilter): boolean {
  switch (f) {
    case 'all':
      return true
    case 'attention':
      return needsAttention(s)
    case 'running':
      return s.status === 'running' || s.status === 'created'
    case 'waiting':
      return s.status === 'awaiting-approval'
    case 'escalated':
    case 'paused':
    case 'interrupted':
      return s.status === f
    case 'finished':
      return s.status === 'terminated'
    default:
      return s.status === 'terminated' && s.terminationReason === f.slice('finished:'.length)
  }
}

// Summaries are replaced, never mutated, when a loop changes: the lower-cased text is computed once per version.
const haystacks = new WeakMap<LoopSummary, string>()
function haystack(s: LoopSummary): string {
  let h = haystacks.get(s)
  if (h === undefined) {
    h = `${s.name}\n${s.loopId}\n${s.task}`.toLowerCase()
    haystacks.set(s, h)
  }
  return h
}

const SORTS: Record<LoopSort, (a: LoopSummary, b: LoopSummary) => number> = {
  created: (a, b) => b.createdAt - a.createdAt,
  updated: (a, b) => b.updatedAt - a.updatedAt,
  cost: (a, b) => b.costUsd - a.costUsd
}

/** The ids of the loops that match the query, in the query's order (ties: newest first, then by id). */
export function listedIds(loops: Record<string, LoopSummary>, q: ListQuery): string[] {
  const words = q.search.toLowerCase().split(/\s+/).filter(Boolean)
  const shown: LoopSummary[] = []
  for (const s of Object.values(loops)) {
    if (!matchesStatus(s, q.status)) continue
    if (q.policy !== null && s.policy !== q.policy) continue
    if (q.tag !== null && !(s.tags ?? []).includes(q.tag)) continue
    if (words.length > 0) {
      const h = haystack(s)
      if (!words.every((w) => h.includes(w))) continue
    }
    shown.push(s)
  }
  const by = SORTS[q.sort]
  shown.sort((a, b) => by(a, b) || b.createdAt - a.createdAt || (a.loopId < b.loopId ? -1 : a.loopId > b.loopId ? 1 : 0))
  return shown.map((s) => s.loopId)
}

/** The policies and tags present among the loops: what the filters offer. */
export function listFacets(loops: Record<string, LoopSummary>): { policies: string[]; tags: string[] } {
  const policies = new Set<string>()
  const tags = new Set<string>()
  for (const s of Object.values(loops)) {
    policies.add(s.policy)
    for (const t of s.tags ?? []) tags.add(t)
  }
  return { policies: [...policies].sort(), tags: [...tags].sort() }
}

/** Whether the query narrows the list at all (the list then says how many of how many it shows). */
export function isFiltered(q: ListQuery): boolean {
  return q.search.trim() !== '' || q.status !== 'all' || q.policy !== null || q.tag !== null
}
