/**
 * Which loops the list shows and in what order: search, filters and sort as one pure function
 * over the summaries, so 10,000 loops are filtered in memory without a query to the core.
 */
import type { LoopSummary } from '../../../shared/contract'
import { TERMINATION_REASONS } from '../../../shared/names'
import type { TerminationReason } from '../../../shared/spec'

export { TERMINATION_REASONS }

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

/**
 * While events stream, which loops are listed (and the filters offered) is worked out at most this
 * often; each row still shows its own loop's changes at once.
 */
export const LIST_SETTLE_MS = 300

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

const SORT_KEYS: Record<LoopSort, (s: LoopSummary) => number> = {
  created: (s) => s.createdAt,
  updated: (s) => s.updatedAt,
  cost: (s) => s.costUsd
}
const SORTS: Record<LoopSort, (a: LoopSummary, b: LoopSummary) => number> = {
  created: (a, b) => b.createdAt - a.createdAt,
  updated: (a, b) => b.updatedAt - a.updatedAt,
  cost: (a, b) => b.costUsd - a.costUsd
}

const searchWords = (q: ListQuery) => q.search.toLowerCase().split(/\s+/).filter(Boolean)

function matches(s: LoopSummary, q: ListQuery, words: string[]): boolean {
  if (!matchesStatus(s, q.status)) return false
  if (q.policy !== null && s.policy !== q.policy) return false
  if (q.tag !== null && !(s.tags ?? []).includes(q.tag)) return false
  if (words.length === 0) return true
  const h = haystack(s)
  return words.every((w) => h.includes(w))
}

/** The ids of the loops that match the query, in the query's order (ties: newest first, then by id). */
export function listedIds(loops: Record<string, LoopSummary>, q: ListQuery): string[] {
  const words = searchWords(q)
  const shown = Object.values(loops).filter((s) => matches(s, q, words))
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

/**
 * The summaries that were replaced between two versions of the loops, as [before, after] pairs;
 * null when a loop came or went. A pass over the keys, far cheaper than filtering and sorting.
 */
function replaced(before: Record<string, LoopSummary>, after: Record<string, LoopSummary>): [LoopSummary, LoopSummary][] | null {
  const pairs: [LoopSummary, LoopSummary][] = []
  let count = 0
  for (const id in after) {
    count++
    const was = before[id]
    if (was === undefined) return null
    if (was !== after[id]) pairs.push([was, after[id]])
  }
  return count === Object.keys(before).length ? pairs : null
}

/**
 * listedIds that keeps its last answer (the same array) while pushed events only change what the
 * list neither filters nor sorts on, such as a running loop's iteration or tokens: a stream of
 * events then costs a pass over the keys, not a filter and sort of every loop.
 */
export function createListing(): (loops: Record<string, LoopSummary>, q: ListQuery) => string[] {
  let last: { loops: Record<string, LoopSummary>; q: ListQuery; ids: string[] } | null = null
  return (loops, q) => {
    if (last && last.loops === loops && last.q === q) return last.ids
    if (last && last.q === q) {
      const words = searchWords(q)
      const key = SORT_KEYS[q.sort]
      const pairs = replaced(last.loops, loops)
      const moved = (a: LoopSummary, b: LoopSummary) => matches(a, q, words) !== matches(b, q, words) || (matches(b, q, words) && key(a) !== key(b))
      if (pairs && !pairs.some(([a, b]) => moved(a, b))) {
        last = { ...last, loops }
        return last.ids
      }
    }
    last = { loops, q, ids: listedIds(loops, q) }
    return last.ids
  }
}

/** listFacets that keeps its last answer while no loop comes, goes or changes its policy or tags. */
export function createFacets(): (loops: Record<string, LoopSummary>) => ReturnType<typeof listFacets> {
  let last: { loops: Record<string, LoopSummary>; facets: ReturnType<typeof listFacets> } | null = null
  const sameFacets = (a: LoopSummary, b: LoopSummary) => a.policy === b.policy && (a.tags ?? []).join('\n') === (b.tags ?? []).join('\n')
  return (loops) => {
    if (last && last.loops !== loops) {
      const pairs = replaced(last.loops, loops)
      if (pairs && pairs.every(([a, b]) => sameFacets(a, b))) last = { ...last, loops }
    }
    if (!last || last.loops !== loops) last = { loops, facets: listFacets(loops) }
    return last.facets
  }
}

/** Whether the query narrows the list at all (the list then says how many of how many it shows). */
export function isFiltered(q: ListQuery): boolean {
  return q.search.trim() !== '' || q.status !== 'all' || q.policy !== null || q.tag !== null
}
