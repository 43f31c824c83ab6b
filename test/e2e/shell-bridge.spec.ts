/**
 * What the desktop app's main process sends the page, played by a stand-in shell bridge (the real
 * one is the Electron preload) against real loops in the real core: the menu's commands for the
 * main jobs run what their buttons and keys run, the help overlay lists their accelerators, and a
 * view address (an andon:// link, a notification click) opens that view.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { gatedSpec } from './core-loops'
import { expect, test } from './fixtures'
import { openWithShell } from './stand-in-shell'

/** The key the inbox gives `loopId`'s waiting item, read from the inbox list, which this leaves showing. */
async function inboxKeyOf(page: Page, loopId: string): Promise<string> {
  await page.getByTestId('nav-inbox').click()
  return (await page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"]`).getAttribute('data-inbox-key'))!
}

const approvalsOf = (served: { andon: { store: { readStream(id: string): { type: string; data: unknown }[] } } }, loopId: string) =>
  served.andon.store.readStream(loopId).filter((e) => e.type === 'ActionApproved')

test('menu Approve as Proposed from another screen only opens the inbox on the item, even one a link chose; from the inbox it approves it and the loop goes on', async ({ page, served }) => {
  const { menu, navigate } = await openWithShell(page, served.shell.url)
  await expect(page.getByTestId('launch-form')).toBeVisible()
  await menu('approve')
  await expect(page.getByTestId('notice')).toContainText('no approval is open')
  await expect(page.getByTestId('inbox')).toBeVisible()

  const first = await served.andon.supervisor.launch(gatedSpec('first waiting'))
  const second = await served.andon.supervisor.launch(gatedSpec('chosen by a link'))
  await expect(page.getByTestId('inbox-count')).toHaveText('2')
  // A link (which any web page can open) chooses the item, and the operator moves on to another screen.
  await navigate(`#/inbox/${encodeURIComponent(await inboxKeyOf(page, second))}`)
  await expect(page.locator(`[data-testid="inbox-item"][data-loop-id="${second}"]`)).toHaveAttribute('aria-current', 'true')
  await page.getByTestId('nav-launch').click()
  await expect(page.getByTestId('launch-form')).toBeVisible()

  await menu('approve')
  await expect(page.getByTestId('notice')).toContainText('review the item, then approve')
  const card = page.getByTestId('approval-card')
  await expect(card).toContainText('chosen by a link')
  await expect(card).toContainText('iteration 1')
  // Loaded and ready to decide, and nothing decided: both loops still wait on their first call.
  await expect(card.getByTestId('approval-tool')).toHaveText('run_command')
  await expect(card.getByTestId('approve-button')).toBeEnabled()
  expect(approvalsOf(served, first)).toHaveLength(0)
  expect(approvalsOf(served, second)).toHaveLength(0)

  // Now the card is on screen, the same command approves it as proposed.
  await menu('approve')
  // The loop ran the call and proposed its next one, which waits in turn.
  await expect(page.locator(`[data-testid="inbox-item"][data-loop-id="${second}"][data-iteration="2"]`)).toBeVisible({ timeout: 15_000 })
  const approvals = approvalsOf(served, second)
  expect(approvals).toHaveLength(1)
  expect((approvals[0].data as { editedArgs?: unknown }).editedArgs).toBeUndefined()
  expect(approvalsOf(served, first)).toHaveLength(0)
})

test('menu Approve as Proposed refuses, saying why, while the arguments are edited', async ({ page, served }) => {
  const { menu } = await openWithShell(page, served.shell.url)
  const loopId = await served.andon.supervisor.launch(gatedSpec('edited before the menu'))
  await page.getByTestId('nav-inbox').click()
  const card = page.getByTestId('approval-card')
  await expect(card.getByTestId('approval-tool')).toHaveText('run_command')
  // The accelerator fires while the operator types in the args: it must not approve the proposal unseen.
  const edited = { command: 'echo edited' }
  await card.getByTestId('approval-args').fill(JSON.stringify(edited))
  await menu('approve')
  await expect(page.getByTestId('notice')).toContainText('approve with edits from the card while arguments are edited')
  await expect(card.getByTestId('approval-args')).toHaveValue(JSON.stringify(edited))
  // The operator's own decision goes through, and it is the only one: the menu sent none before it.
  await card.getByTestId('approve-edited-button').click()
  await expect(page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"][data-iteration="2"]`)).toBeVisible({ timeout: 15_000 })
  const approvals = approvalsOf(served, loopId)
  expect(approvals).toHaveLength(1)
  expect((approvals[0].data as { editedArgs?: unknown }).editedArgs).toEqual(edited)
})

test('menu Reject focuses the reason field, Next and Previous Item move the selection, Open the Item\'s Loop opens it, New Loop shows Launch', async ({ page, served }) => {
  const { menu } = await openWithShell(page, served.shell.url)
  await served.andon.supervisor.launch(gatedSpec('first gated'))
  await served.andon.supervisor.launch(gatedSpec('second gated'))
  await expect(page.getByTestId('inbox-count')).toHaveText('2')
  await menu('show-inbox')
  const items = page.getByTestId('inbox-item')
  await expect(items).toHaveCount(2)
  await expect(items.nth(0)).toHaveAttribute('aria-current', 'true')

  await menu('next-item')
  await expect(items.nth(1)).toHaveAttribute('aria-current', 'true')
  await menu('next-item')
  await expect(items.nth(1)).toHaveAttribute('aria-current', 'true')
  await menu('previous-item')
  await expect(items.nth(0)).toHaveAttribute('aria-current', 'true')

  // From inside the args field too: the menu takes the operator to the reason, as `r` does.
  await page.getByTestId('approval-args').focus()
  await menu('reject')
  await expect(page.getByTestId('reject-reason')).toBeFocused()

  const loopId = await items.nth(0).getAttribute('data-loop-id')
  await menu('open-loop')
  await expect(page.getByTestId('loop-view')).toHaveAttribute('data-loop-id', loopId!)

  await menu('launch')
  await expect(page.getByTestId('launch-form')).toBeVisible()
  await expect(page.getByTestId('nav-launch')).toHaveClass(/active/)
})

test('the help overlay lists the menu accelerators in the desktop app, accessibly', async ({ page, served }) => {
  await openWithShell(page, served.shell.url)
  await page.getByTestId('help-button').click()
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(dialog.getByRole('columnheader', { name: 'Menu' })).toBeVisible()
  const row = (what: string) => dialog.getByRole('row').filter({ hasText: what })
  await expect(row('Approve the open approval')).toContainText('Ctrl+Shift+A')
  await expect(row('Reject: type the reason')).toContainText('Ctrl+Shift+R')
  await expect(row('Next item')).toContainText('Ctrl+]')
  await expect(row('Previous item')).toContainText('Ctrl+[')
  await expect(row('New Loop…')).toContainText('Ctrl+N')
  await expect(row('Show Inbox')).toContainText('Ctrl+I')
  await expect(row('Export Loop…')).toContainText('Ctrl+E')
  await expect(row('Import Bundle…')).toContainText('Ctrl+O')
  // The wider table stays accessible.
  const { violations } = await new AxeBuilder({ page }).include('[data-testid="help-overlay"]').analyze()
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
})

test('in a plain browser the help overlay lists only the keys', async ({ app: page }) => {
  await page.getByTestId('help-button').click()
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(dialog).toContainText('Approve the open approval')
  await expect(dialog.getByRole('columnheader', { name: 'Menu' })).toHaveCount(0)
  await expect(dialog).not.toContainText('Ctrl+')
  await expect(dialog.getByTestId('help-menu-only')).toHaveCount(0)
})

test('a view address from the desktop app opens that view; anything else is ignored', async ({ page, served }) => {
  const { navigate } = await openWithShell(page, served.shell.url)
  await served.andon.supervisor.launch(gatedSpec('first linked'))
  const second = await served.andon.supervisor.launch(gatedSpec('second linked'))
  await expect(page.getByTestId('inbox-count')).toHaveText('2')
  const key = await inboxKeyOf(page, second)
  await page.getByTestId('nav-launch').click()
  await expect(page.getByTestId('launch-form')).toBeVisible()

  // Not an in-app address: it never reaches the address bar (where the router would report it).
  const before = await page.evaluate(() => ({ href: location.href, entries: history.length }))
  for (const bad of [`https://example.com/#/inbox/${key}`, `inbox/${key}`, `#/inbox/${'k'.repeat(2048)}`]) await navigate(bad)
  expect(await page.evaluate(() => location.href)).toBe(before.href)
  // A good address sent after them is shown, and only it was added to the history, with nothing reported.
  await navigate('#/fleet')
  await expect(page.getByTestId('nav-fleet')).toHaveClass(/active/)
  expect(await page.evaluate(() => history.length)).toBe(before.entries + 1)
  await expect(page.getByTestId('notice')).toHaveCount(0)

  // An in-app address the router cannot show is reported as when typed.
  await navigate('#/nowhere')
  await expect(page.getByTestId('notice')).toContainText('the address names no screen')

  await navigate(`#/inbox/${encodeURIComponent(key)}`)
  const opened = page.locator(`[data-testid="inbox-item"][data-loop-id="${second}"]`)
  await expect(opened).toHaveAttribute('aria-current', 'true')
  await expect(page.getByTestId('approval-card')).toContainText('second linked')

  await navigate(`#/loop/${second}`)
  await expect(page.getByTestId('loop-view')).toHaveAttribute('data-loop-id', second)
})
