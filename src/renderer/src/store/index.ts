/** The one store of the control room, made of typed slices. */
import { create } from 'zustand'
import type { DetailSlice } from './detail-slice'
import { createDetailSlice } from './detail-slice'
import type { InboxSlice } from './inbox-slice'
import { createInboxSlice } from './inbox-slice'
import type { ListSlice } from './list-slice'
import { createListSlice } from './list-slice'
import type { LoopsSlice } from './loops-slice'
import { createLoopsSlice } from './loops-slice'
import type { UiSlice } from './ui-slice'
import { createUiSlice } from './ui-slice'

export type Store = LoopsSlice & UiSlice & InboxSlice & DetailSlice & ListSlice

export const useStore = create<Store>()((...a) => ({
  ...createLoopsSlice(...a),
  ...createUiSlice(...a),
  ...createInboxSlice(...a),
  ...createDetailSlice(...a),
  ...createListSlice(...a)
}))
