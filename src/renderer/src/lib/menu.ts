/**
 * The desktop app's menu commands run the same code as the buttons and single-key shortcuts on
 * screen, with the same rule for when they are off (then the notice says why); in the browser
 * there is no menu and this is inert.
 */
import { flushSync } from 'react-dom'
import type { MenuAction } from '../../../shared/shell-commands'
import { useStore } from '../store'
import { shell } from '../transport'
import { SHORTCUTS, runShortcut, type Shortcut } from './shortcuts'

/** Menu commands that act on the open inbox item: each is its shortcut, and says `absent` when nothing offers it. */
const INBOX_COMMANDS = {
  'next-item': { shortcut: SHORTCUTS.next, absent: 'the inbox has no other item' },
  'previous-item': { shortcut: SHORTCUTS.previous, absent: 'the inbox has no other item' },
  approve: { shortcut: SHORTCUTS.approve, absent: 'no approval is open' },
  reject: { shortcut: SHORTCUTS.reject, absent: 'no approval is open' },
  'open-loop': { shortcut: SHORTCUTS.openLoop, absent: 'the inbox is empty' }
} satisfies Partial<Record<MenuAction, { shortcut: Shortcut; absent: string }>>

/** The menu command that doubles a shortcut, for the help overlay. */
export function menuActionOf(shortcut: Shortcut): MenuAction | undefined {
  return (Object.keys(INBOX_COMMANDS) as (keyof typeof INBOX_COMMANDS)[]).find((a) => INBOX_COMMANDS[a].shortcut === shortcut)
}

const BUTTONS = { 'import-bundle': 'import-bundle', 'export-bundle': 'export-bundle' } as const

function clickButton(action: keyof typeof BUTTONS): void {
  const button = document.querySelector<HTMLButtonElement>(`[data-testid="${BUTTONS[action]}"]`)
  if (button && !button.disabled) button.click()
  else if (action === 'export-bundle') useStore.getState().notify('select a loop to export first')
}

/** From another screen the inbox opens first, rendered at once so its shortcuts are there to run. */
function runInInbox({ shortcut, absent }: { shortcut: Shortcut; absent: string }): void {
  const st = useStore.getState()
  if (st.view !== 'inbox') flushSync(() => st.setView('inbox'))
  const whyNot = runShortcut(shortcut, absent)
  if (whyNot) st.notify(whyNot, 'info')
}

export function runMenuCommand(action: MenuAction): void {
  if (action === 'launch') useStore.getState().setView('launch')
  else if (action === 'show-inbox') useStore.getState().setView('inbox')
  else if (action === 'import-bundle' || action === 'export-bundle') clickButton(action)
  else runInInbox(INBOX_COMMANDS[action])
}

export function startMenuCommands(): void {
  shell?.onMenu?.(runMenuCommand)
}
