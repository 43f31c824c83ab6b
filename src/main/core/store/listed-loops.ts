/** The loop list an operator sees: checked rows, archived loops left out (or only those, on request). */
import type { LoopSummary } from '../../../shared/contract'
import { checkedSummary } from '../../../shared/loop-list'
import { LoopArchive } from './archive'
import type { TraceStore } from './trace-store'

export function listedLoops(store: TraceStore, opts: { archived?: boolean } = {}): LoopSummary[] {
  const archived = opts.archived ?? false
  const archivedIds = new LoopArchive(store.db).archivedIds()
  return store
    .listLoops()
    .map((raw) => checkedSummary(raw, String((raw as { loopId?: unknown } | null)?.loopId)))
    .filter((s) => archivedIds.has(s.loopId) === archived)
    .map((s) => (archived ? { ...s, archived } : s))
}
