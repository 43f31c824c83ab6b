/** What the loops list shows: search, filters and sort (kept apart so they can be put in the address). */
import type { StateCreator } from 'zustand'
import { DEFAULT_QUERY, type ListQuery } from '../lib/loop-filter'
import type { Store } from './index'

export interface ListSlice {
  listQuery: ListQuery
  setListQuery(change: Partial<ListQuery>): void
}

export const createListSlice: StateCreator<Store, [], [], ListSlice> = (set) => ({
  listQuery: DEFAULT_QUERY,
  setListQuery: (change) => set((st) => ({ listQuery: { ...st.listQuery, ...change } }))
})
