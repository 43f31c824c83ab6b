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
  setShowArchived(show: boolean): void
  setLoops(list: LoopSummary[]): void
  upsertSummaries(list: LoopSummary[]): void
}

const newestFirst = (a: LoopSummary, b: LoopSummary) => b.createdAt - a.createdAt || (a.loopId < b.loopId ? 1 : -1)

export const createLoopsSlice: StateCreator<Store, [], [], LoopsSlice> = (set) => ({
  loops: {},
  order: [],
  loopsLoaded: false,
  showArchived: false,
  setShowArchived: (showArchived) => set({ showArchived, loops: {}, order: [], loopsLoaded: false }),
  setLoops: (list) =>
    set({
      loops: Object.fromEntries(list.map((s) => [s.loopId, s])),
      order: [...list].sort(newestFirst).map((s) => s.loopId),
      loopsLoaded: true
    }),
  upsertSummaries: (list) =>
    set((st) => {
      const loops = { ...st.loops }
      const added: LoopSummary[] = []
      for (const s of list) {
        // A loop that appears while the archived ones are shown belongs to the other list.
        if (!loops[s.loopId] && st.showArchived) continue
        if (!loops[s.loopId]) added.push(s)
        loops[s.loopId] = s
      }
      if (added.length === 0) return { loops }
      const order = [...added.sort(newestFirst).map((s) => s.loopId), ...st.order.filter((id) => !added.some((a) => a.loopId === id))]
      return { loops, order }
    })
})
