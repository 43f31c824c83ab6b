/** What the operator is looking at, and the connection to the core. */
import type { StateCreator } from 'zustand'
import type { PatchOp } from '../../../shared/patch'
import type { ConnectionStatus } from '../transport'
import type { LoopTab, View } from '../../../shared/view-names'
import type { Store } from './index'

export type { LoopTab, View }

export interface UiSlice {
  view: View
  loopTab: LoopTab
  selectedLoopId: string | null
  selectedIteration: number | null
  connection: ConnectionStatus
  /** The last command failure shown in the status bar. */
  notice: { text: string; kind: 'error' | 'info' } | null
  /** A suggested patch for the operator to complete in the patch editor (text templates). */
  patchDraft: { loopId: string; ops: PatchOp[] } | null
  setView(view: View): void
  setLoopTab(tab: LoopTab): void
  selectIteration(iteration: number | null): void
  setConnection(status: ConnectionStatus): void
  notify(text: string, kind?: 'error' | 'info'): void
}

export const createUiSlice: StateCreator<Store, [], [], UiSlice> = (set) => ({
  view: 'launch',
  loopTab: 'timeline',
  selectedLoopId: null,
  selectedIteration: null,
  connection: 'connecting',
  notice: null,
  patchDraft: null,
  setView: (view) => set({ view }),
  setLoopTab: (loopTab) => set({ loopTab }),
  selectIteration: (selectedIteration) => set({ selectedIteration }),
  setConnection: (connection) => set({ connection }),
  notify: (text, kind = 'error') => set({ notice: { text, kind } })
})
