/**
 * The desktop app's menu commands run the same code as the buttons and single-key shortcuts on
 * screen, with the same rule for when they are off (then the notice says why); in the browser
 * there is no menu and this is inert.
 */
import type { MenuAction } from '../../../shared/shell-commands'
import { useStore } from '../store'
import { shell } from '../transport'
import { SHORTCUTS, runShortcut, runShortcutSoon, type Shortcut } from './shortcuts'

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

/** How long a command waits for the inbox it just opened to show the open item. */
const INBOX_LOAD_MS = 2000

/** From another screen the inbox opens first, and the command acts once the open item has loaded. */
async function runInInbox({ shortcut, absent }: { shortcut: Shortcut; absent: string }): Promise<void> {
  const st = useStore.getState()
  const opening = st.view !== 'inbox'
  if (opening) st.setView('inbox')
  const whyNot = opening ? await runShortcutSoon(shortcut, absent, INBOX_LOAD_MS) : runShortcut(shortcut, absent)
  if (whyNot) st.notify(whyNot, 'info')
}

export function runMenuCommand(action: MenuAction): void {
  if (action === 'launch') useStore.getState().setView('launch')
  else if (action === 'show-inbox') useStore.getState().setView('inbox')
  else if (action === 'import-bundle' || action === 'export-bundle') clickButton(action)
  else void runInInbox(INBOX_COMMANDS[action])
}

export function startMenuCommands(): void {
  shell?.onMenu?.(runMenuCommand)
}
