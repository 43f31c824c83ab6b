/** The loop list an operator sees: checked rows, archived loops left out (or only those, on request). */
import type { LoopSummary } from '../../../shared/contract'
import { checkedSummary } from '../../../shared/loop-list'
import { LoopArchive } from './archive'
import type { TraceStore } from './trace-store'

export function listedLoops(store: TraceStore, opts: { archived?: boolean } = {}): LoopSummary[] {
  const archivedIds = new LoopArchive(store.db).archivedIds()
  return store
    .listLoops()
    .filter((s) => archivedIds.has(String((s as { loopId?: unknown })?.loopId)) === (opts.archived ?? false))
    .map((s) => ({ ...checkedSummary(s, String((s as { loopId?: unknown })?.loopId)), ...(opts.archived ? { archived: true } : {}) }))
}
