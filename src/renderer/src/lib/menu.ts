/**
 * The desktop app's menu commands run the same code as the buttons and single-key shortcuts on
 * screen, with the same rule for when they are off (then the notice says why); in the browser
 * there is no menu and this is inert.
 */
import type { MenuAction } from '../../../shared/shell-commands'
import { useStore } from '../store'
import { inboxKey } from '../store/inbox-slice'
import { shell } from '../transport'
import { SHORTCUTS, runShortcut, runShortcutSoon, type Shortcut } from './shortcuts'

/**
 * Menu commands that act on the open inbox item: each is its shortcut, and says `absent` when nothing
 * offers it. One that `decides` runs only on a card the operator already has on screen.
 */
const INBOX_COMMANDS = {
  'next-item': { shortcut: SHORTCUTS.next, absent: 'the inbox has no other item' },
  'previous-item': { shortcut: SHORTCUTS.previous, absent: 'the inbox has no other item' },
  approve: { shortcut: SHORTCUTS.approve, absent: 'no approval is open', decides: true },
  reject: { shortcut: SHORTCUTS.reject, absent: 'no approval is open' },
  'open-loop': { shortcut: SHORTCUTS.openLoop, absent: 'the inbox is empty' }
} satisfies Partial<Record<MenuAction, { shortcut: Shortcut; absent: string; decides?: true }>>
type InboxCommand = (typeof INBOX_COMMANDS)[keyof typeof INBOX_COMMANDS]

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

/** Whether the item the inbox opens on (the open one, else the first) is an approval. */
function approvalWaits(): boolean {
  const { inbox, openInboxKey } = useStore.getState()
  return (inbox.find((i) => inboxKey(i) === openInboxKey) ?? inbox[0])?.kind === 'approval'
}

/**
 * From another screen the inbox opens first. A command that only moves or focuses then runs once
 * the open item has loaded; one that decides stops there, since the operator has not seen the card
 * it would decide (and a link can choose which card that is).
 */
async function runInInbox(command: InboxCommand): Promise<void> {
  const { shortcut, absent } = command
  const st = useStore.getState()
  if (st.view === 'inbox') {
    const whyNot = runShortcut(shortcut, absent)
    if (whyNot) st.notify(whyNot, 'info')
    return
  }
  st.setView('inbox')
  if ('decides' in command) {
    st.notify(approvalWaits() ? 'review the item, then approve' : absent, 'info')
    return
  }
  const whyNot = await runShortcutSoon(shortcut, absent, INBOX_LOAD_MS)
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
