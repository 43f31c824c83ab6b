/** Search, filters and sort above the loops list. */
import { useMemo, useState } from 'react'
import { createFacets, LIST_SETTLE_MS, TERMINATION_REASONS, type LoopSort, type StatusFilter } from '../../lib/loop-filter'
import { useThrottled } from '../../lib/use-throttled'
import { useStore } from '../../store'

const STATUSES: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'any status' },
  { value: 'attention', label: 'needs attention' },
  { value: 'running', label: 'running' },
  { value: 'waiting', label: 'waiting for approval' },
  { value: 'escalated', label: 'escalated' },
  { value: 'paused', label: 'paused' },
  { value: 'interrupted', label: 'interrupted' },
  { value: 'finished', label: 'finished' },
  ...TERMINATION_REASONS.map((r) => ({ value: `finished:${r}` as const, label: `finished: ${r}` }))
]

const SORTS: { value: LoopSort; label: string }[] = [
  { value: 'created', label: 'newest' },
  { value: 'updated', label: 'last change' },
  { value: 'cost', label: 'cost' }
]

export function ListControls() {
  const q = useStore((st) => st.listQuery)
  const set = useStore((st) => st.setListQuery)
  const loops = useThrottled(useStore((st) => st.loops), LIST_SETTLE_MS)
  const [facetsOf] = useState(createFacets)
  const facets = useMemo(() => facetsOf(loops), [facetsOf, loops])
  // A chosen value stays offered even when no loop has it any more, so the select shows what filters.
  const policies = q.policy && !facets.policies.includes(q.policy) ? [...facets.policies, q.policy] : facets.policies
  const tags = q.tag && !facets.tags.includes(q.tag) ? [...facets.tags, q.tag] : facets.tags
  return (
    <div className="list-controls" role="search">
      <input
        type="search"
        data-testid="loops-search"
        aria-label="search loops by name, id or task"
        placeholder="Search name, id, task"
        value={q.search}
        onChange={(e) => set({ search: e.target.value })}
      />
      <div className="list-filters">
        <select data-testid="filter-status" aria-label="status" value={q.status} onChange={(e) => set({ status: e.target.value as StatusFilter })}>
          {STATUSES.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <select data-testid="filter-policy" aria-label="policy" value={q.policy ?? ''} onChange={(e) => set({ policy: e.target.value || null })}>
          <option value="">any policy</option>
          {policies.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <select data-testid="filter-tag" aria-label="tag" value={q.tag ?? ''} onChange={(e) => set({ tag: e.target.value || null })}>
          <option value="">any tag</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <select data-testid="sort-loops" aria-label="sort by" value={q.sort} onChange={(e) => set({ sort: e.target.value as LoopSort })}>
          {SORTS.map((o) => (
            <option key={o.value} value={o.value}>
              sort: {o.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}
