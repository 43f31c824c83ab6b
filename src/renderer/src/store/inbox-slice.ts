/** Approvals and escalations waiting across all loops. */
import type { StateCreator } from 'zustand'
import type { InboxItem } from '../../../shared/contract'
import type { Store } from './index'

export interface InboxSlice {
  inbox: InboxItem[]
  /** Key of the opened item (inboxKey in src/shared/inbox-key.ts). */
  openInboxKey: string | null
  setInbox(items: InboxItem[]): void
  openInboxItem(key: string | null): void
}

export { inboxKey } from '../../../shared/inbox-key'

export const createInboxSlice: StateCreator<Store, [], [], InboxSlice> = (set) => ({
  inbox: [],
  openInboxKey: null,
  setInbox: (inbox) => set({ inbox }),
  openInboxItem: (openInboxKey) => set({ openInboxKey })
})
