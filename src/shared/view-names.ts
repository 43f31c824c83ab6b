/**
 * The names in a view's address (`#/loop/<id>/<tab>`, `#/fleet`), shared by the renderer's router
 * and the desktop app's `andon://` links, so a link accepts exactly the views the router shows.
 * No imports: the main process and the renderer both bundle this file.
 */
export const LOOP_TABS = ['timeline', 'patch', 'travel', 'compare'] as const
export type LoopTab = (typeof LOOP_TABS)[number]

/** Screens whose address is just their name. */
export const PLAIN_VIEWS = ['launch', 'keys', 'fleet', 'settings', 'evals'] as const
export type PlainView = (typeof PLAIN_VIEWS)[number]

export type View = 'loop' | 'inbox' | PlainView

/** The longest loop id or inbox item an address may name. */
export const MAX_ADDRESS_PART_LENGTH = 512

export const isLoopTab = (name: string): name is LoopTab => (LOOP_TABS as readonly string[]).includes(name)
export const isPlainView = (name: string): name is PlainView => (PLAIN_VIEWS as readonly string[]).includes(name)
