/**
 * IPC channel names shared by the main process and the preload. Nothing but import-free shared
 * modules: the sandboxed preload bundles this file.
 */
export const CHANNEL_PREFIX = 'andon:'
export const PUSH_CHANNEL = 'andon:push'
export const commandChannel = (name: string): string => `${CHANNEL_PREFIX}${name}`

/** Shell-only secrets bridge (the renderer can set and clear keys, never read them). */
export const SECRET_CHANNELS = {
  status: 'andon-shell:secret-status',
  set: 'andon-shell:secret-set',
  clear: 'andon-shell:secret-clear'
} as const

/** Shell-only: import the bundle file the operator picked, by its path (read in slices by the core). */
export const BUNDLE_FILE_CHANNEL = 'andon-shell:import-bundle-file'

/** Views the main process asks the renderer to show (`#/inbox/<key>`, `#/loop/<id>/…`); main → renderer only. */
export const NAVIGATE_CHANNEL = 'andon-shell:navigate'

/** Menu commands sent to the renderer (main → renderer only); the actions are the menu table's. */
export const MENU_CHANNEL = 'andon-shell:menu'
export { MENU_ACTIONS, type MenuAction } from '../../shared/shell-commands'
