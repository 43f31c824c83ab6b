/**
 * Whether a loop descends from a loop imported from a bundle. The operator's spec-scoped rules are
 * keyed by spec name, which a bundle chooses: an imported spec named like a trusted one must not
 * inherit that spec's "always allow" rules.
 */
import type { StoredEvent } from '../../../shared/events'
import type { TraceStore } from '../store/trace-store'

const MAX_ANCESTRY = 1000

export function descendsFromImport(store: TraceStore, loopId: string): boolean {
  const seen = new Set<string>()
  for (let id: string | null = loopId; id !== null && !seen.has(id) && seen.size < MAX_ANCESTRY; ) {
    seen.add(id)
    const created: StoredEvent | undefined = store.readStream(id, { toVersion: 1 })[0]
    if (created?.type !== 'LoopCreated') return false
    if (created.data.readOnly) return true
    id = created.data.parentLoopId
  }
  return false
}
