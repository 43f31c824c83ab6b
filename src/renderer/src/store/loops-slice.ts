/** The loops list: every loop's summary, newest first. */
import type { StateCreator } from 'zustand'
import type { LoopSummary } from '../../../shared/contract'
import type { Store } from './index'

export interface LoopsSlice {
  loops: Record<string, LoopSummary>
  /** Loop ids, newest first. */
  order: string[]
  loopsLoaded: boolean
  /** The list shows the archived loops instead of the others. */
  showArchived: boolean
  /** The loops Stop all would pause (running, not imported), whichever list is shown: every pushed summary keeps it current. */
  runningIds: ReadonlySet<string>
  setShowArchived(show: boolean): void
  setLoops(list: LoopSummary[]): void
  upsertSummaries(list: LoopSummary[]): void
}

/** The running set after these summaries: the same set when none of them changes it. */
function withRunning(running: ReadonlySet<string>, list: LoopSummary[]): ReadonlySet<string> {
  let next: Set<string> | null = null
  for (const s of list) {
    const runs = s.status === 'running' && !s.readOnly
    if (runs === (next ?? running).has(s.loopId)) continue
    next ??= new Set(running)
    if (runs) next.add(s.loopId)
    else next.delete(s.loopId)
  }
  return next ?? running
}

const newestFirst = (a: LoopSummary, b: LoopSummary) => b.createdAt - a.createdAt || (a.loopId < b.loopId ? 1 : -1)

export const createLoopsSlice: StateCreator<Store, [], [], LoopsSlice> = (set) => ({
  loops: {},
  order: [],
  loopsLoaded: false,
  showArchived: false,
  runningIds: new Set(),
  setShowArchived: (showArchived) => set({ showArchived, loops: {}, order: [], loopsLoaded: false }),
  setLoops: (list) =>
    set((st) => ({
      loops: Object.fromEntries(list.map((s) => [s.loopId, s])),
      order: [...list].sort(newestFirst).map((s) => s.loopId),
      loopsLoaded: true,
      // The archived list says nothing of the other loops: the set then only takes what it lists.
      runningIds: st.showArchived ? withRunning(st.runningIds, list) : withRunning(new Set(), list)
    })),
  upsertSummaries: (pushed) =>
    set((st) => {
      // A summary pushed before the list was fetched again is older than the one listed.
      const list = pushed.filter((s) => !(st.loops[s.loopId] && s.version < st.loops[s.loopId].version))
      const runningIds = withRunning(st.runningIds, list)
      const loops = { ...st.loops }
      const added: LoopSummary[] = []
      for (const s of list) {
        // A loop that appears while the archived ones are shown belongs to the other list.
        if (!loops[s.loopId] && st.showArchived) continue
        if (!loops[s.loopId]) added.push(s)
        loops[s.loopId] = s
      }
      if (added.length === 0) return { loops, runningIds }
      const order = [...added.sort(newestFirst).map((s) => s.loopId), ...st.order.filter((id) => !added.some((a) => a.loopId === id))]
      return { loops, order, runningIds }
    })
})
