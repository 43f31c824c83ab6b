/**
 * What the desktop shell sends the renderer besides pushes: menu commands and view addresses.
 * No imports: the sandboxed preload bundles this file.
 */

export interface MenuCommand {
  action: string
  label: string
  /** Electron's accelerator syntax. A menu accelerator fires even while the operator types, so none is a text-editing key. */
  accelerator: string
  menu: 'File' | 'Inbox'
}

/** The one table of menu commands: the menu is built from it and the help overlay lists it. */
export const MENU_COMMANDS = [
  { action: 'launch', label: 'New Loop…', accelerator: 'CmdOrCtrl+N', menu: 'File' },
  { action: 'import-bundle', label: 'Import Bundle…', accelerator: 'CmdOrCtrl+O', menu: 'File' },
  { action: 'export-bundle', label: 'Export Loop…', accelerator: 'CmdOrCtrl+E', menu: 'File' },
  { action: 'show-inbox', label: 'Show Inbox', accelerator: 'CmdOrCtrl+I', menu: 'Inbox' },
  { action: 'next-item', label: 'Next Item', accelerator: 'CmdOrCtrl+]', menu: 'Inbox' },
  { action: 'previous-item', label: 'Previous Item', accelerator: 'CmdOrCtrl+[', menu: 'Inbox' },
  { action: 'approve', label: 'Approve as Proposed', accelerator: 'CmdOrCtrl+Shift+A', menu: 'Inbox' },
  { action: 'reject', label: 'Reject…', accelerator: 'CmdOrCtrl+Shift+R', menu: 'Inbox' },
  { action: 'open-loop', label: "Open the Item's Loop", accelerator: 'CmdOrCtrl+Shift+O', menu: 'Inbox' }
] as const satisfies readonly MenuCommand[]

export type MenuAction = (typeof MENU_COMMANDS)[number]['action']
export const MENU_ACTIONS: readonly MenuAction[] = MENU_COMMANDS.map((c) => c.action)

/** How an accelerator reads on this platform: `⌘⇧A` on a Mac, `Ctrl+Shift+A` elsewhere. */
export function acceleratorLabel(accelerator: string, isMac: boolean): string {
  const keys = accelerator.split('+')
  if (!isMac) return keys.map((k) => (k === 'CmdOrCtrl' ? 'Ctrl' : k)).join('+')
  const MAC: Record<string, string> = { CmdOrCtrl: '⌘', Shift: '⇧', Alt: '⌥', Ctrl: '⌃' }
  return keys.map((k) => MAC[k] ?? k).join('')
}

/** The longest view address the shell may ask the renderer to show. */
export const MAX_VIEW_ADDRESS = 2048

/** Whether `hash` is an in-app view address (`#/inbox/<key>`, `#/loop/<id>/…`) the renderer may be asked to show. */
export function isViewAddress(hash: unknown): hash is string {
  return typeof hash === 'string' && hash.startsWith('#/') && hash.length <= MAX_VIEW_ADDRESS
}
