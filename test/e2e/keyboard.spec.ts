/** Keyboard-only operation against the real core: no mouse from launch to SUCCESS, and no key that traps or misfires. */
import type { Page } from '@playwright/test'
import { gatedSpec } from './core-loops'
import { expect, launchExample, test } from './fixtures'

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null)

/** Press Tab until the element with this test id has focus, as a keyboard user would. */
async function tabTo(page: Page, testId: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focusedTestId(page)) === testId) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached ${testId}`)
}

/** Approve with `a` until the inbox's first item is an escalation or the inbox is empty and the loop has ended. */
async function approveAll(page: Page, until: 'escalation' | 'SUCCESS'): Promise<number> {
  let approved = 0
  for (let round = 0; round < 12; round++) {
    const header = page.getByTestId('inbox')
    const first = page.getByTestId('inbox-item').first()
    if (until === 'SUCCESS' && (await page.getByTestId('inbox-count').textContent()) === '0') {
      if ((await page.getByTestId('loop-row').first().getByTestId('status-badge').getAttribute('data-reason')) === 'SUCCESS') return approved
      await page.waitForTimeout(100)
      continue
    }
    await expect(first).toBeVisible({ timeout: 15_000 })
    if ((await first.getAttribute('data-kind')) === 'escalation') return approved
    const iteration = await first.getAttribute('data-iteration')
    await expect(header.getByTestId('approval-card')).toBeVisible()
    await page.keyboard.press('a')
    await expect(page.locator(`[data-testid="inbox-item"][data-kind="approval"][data-iteration="${iteration}"]`)).toHaveCount(0)
    approved++
  }
  throw new Error(`still waiting for ${until} after 12 rounds`)
}

test('launch → approve → patch → resume, with the keyboard alone', async ({ app: page }) => {
  await tabTo(page, 'nav-launch')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('spec-valid')).toBeVisible()
  await tabTo(page, 'spec-select')
  await page.keyboard.type('stuck')
  await expect(page.getByTestId('spec-select')).toHaveValue(/stuck-needs-a-hint\.yaml$/)
  await tabTo(page, 'override-autonomy')
  await page.keyboard.type('approve-e')
  await expect(page.getByTestId('override-autonomy')).toHaveValue('approve-every-action')
  await expect(page.getByTestId('spec-valid')).toContainText('stuck-needs-a-hint')
  await tabTo(page, 'launch-button')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('loop-view')).toBeVisible()

  // Approve each call from the inbox with `a` until the looping invariant escalates.
  await tabTo(page, 'nav-inbox')
  await page.keyboard.press('Enter')
  expect(await approveAll(page, 'escalation')).toBeGreaterThanOrEqual(3)

  // `o` opens the escalated loop; the Patch tab is reached and used with Tab, typing and Enter.
  await page.keyboard.press('o')
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-status', 'escalated')
  await tabTo(page, 'loop-tab-patch')
  await page.keyboard.press('Enter')
  await tabTo(page, 'patch-fact')
  await page.keyboard.type('region is eu-west-1')
  await tabTo(page, 'patch-add-fact')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('pending-ops')).toContainText('region is eu-west-1')
  await tabTo(page, 'patch-why')
  await page.keyboard.type('from the runbook')
  await tabTo(page, 'patch-apply')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('patch-result').getByTestId('state-diff')).toContainText('region is eu-west-1')
  await tabTo(page, 'patch-resume')
  await page.keyboard.press('Enter')

  // The fix and the final check wait for approval too: approved from the inbox, and the loop converges.
  await tabTo(page, 'nav-inbox')
  await page.keyboard.press('Enter')
  expect(await approveAll(page, 'SUCCESS')).toBeGreaterThanOrEqual(2)
})

test('inbox shortcuts: j and k move between items, r focuses the reason and Enter rejects; letters typed in a field are only text', async ({ app: page, served }) => {
  await launchExample(page, 'fix-the-tests', { name: 'gated one', autonomy: 'approve-every-action' })
  await launchExample(page, 'fix-the-tests', { name: 'gated two', autonomy: 'approve-every-action' })
  await page.getByTestId('nav-inbox').click()
  const items = page.getByTestId('inbox-item')
  await expect(items).toHaveCount(2)
  await expect(items.nth(0)).toHaveAttribute('aria-current', 'true')
  await page.keyboard.press('j')
  await expect(items.nth(1)).toHaveAttribute('aria-current', 'true')
  await expect(items.nth(1)).toBeFocused()
  await page.keyboard.press('k')
  await expect(items.nth(0)).toHaveAttribute('aria-current', 'true')
  const loopId = await items.nth(0).getAttribute('data-loop-id')

  await page.keyboard.press('r')
  await expect(page.getByTestId('reject-reason')).toBeFocused()
  // "a" and "r" inside the reason are text, not approve or reject.
  await page.keyboard.type('wait: read the failures first')
  await expect(page.getByTestId('reject-reason')).toHaveValue('wait: read the failures first')
  await page.keyboard.press('Enter')
  await expect(page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"][data-iteration="1"]`)).toHaveCount(0)
  const rejected = served.andon.store.readStream(loopId!).filter((e) => e.type === 'ActionRejected')
  expect(rejected.map((e) => (e.data as { reason: string }).reason)).toEqual(['wait: read the failures first'])
  expect(served.andon.store.readStream(loopId!).some((e) => e.type === 'ActionApproved')).toBe(false)
})

test('a is off while the approval\'s args are edited: the proposal shown as replaced is never approved by a key', async ({ app: page, served }) => {
  const loopId = await served.andon.supervisor.launch(gatedSpec('edited before approval'))
  await page.getByTestId('nav-inbox').click()
  const card = page.getByTestId('approval-card')
  await expect(card.getByTestId('approval-tool')).toHaveText('run_command')
  await expect(card.getByTestId('approve-key-off')).toHaveCount(0)
  await card.getByTestId('approval-args').fill(JSON.stringify({ command: 'echo edited' }))
  await expect(card.getByTestId('approve-key-off')).toBeVisible()
  await expect(card.getByTestId('approve-button')).toHaveText('Approve as proposed')

  // Out of the text field, `a` would be a shortcut: it does nothing, and approving with edits is what runs.
  await card.getByTestId('approve-edited-button').focus()
  await page.keyboard.press('a')
  await page.keyboard.press('Enter')
  await expect(page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"][data-iteration="1"]`)).toHaveCount(0)
  const approvals = served.andon.store.readStream(loopId).filter((e) => e.type === 'ActionApproved')
  expect(approvals.map((e) => (e.data as { editedArgs?: unknown }).editedArgs)).toEqual([{ command: 'echo edited' }])
})

test('no shortcut fires behind the Stop all dialog', async ({ app: page, served }) => {
  const loopId = await served.andon.supervisor.launch(gatedSpec('waits behind the dialog'))
  await page.getByTestId('nav-inbox').click()
  await expect(page.getByTestId('approval-card').getByTestId('approval-tool')).toHaveText('run_command')
  await page.getByTestId('stop-all').click()
  const dialog = page.getByTestId('stop-all-dialog')
  await expect(dialog).toBeVisible()
  // Focus on the dialog's Cancel button, not in its text field: the keys would be shortcuts if nothing held them.
  await dialog.getByTestId('stop-all-close').focus()
  await page.keyboard.press('a')
  await page.keyboard.press('o')
  await page.keyboard.press('?')
  await expect(page.getByTestId('help-overlay')).toHaveCount(0)
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  // Closed, the dialog no longer holds the keys: `?` opens the help, and nothing was approved or opened meanwhile.
  await page.keyboard.press('?')
  await expect(page.getByTestId('help-overlay')).toBeVisible()
  await expect(page.getByTestId('approval-card')).toBeVisible()
  expect(served.andon.store.readStream(loopId).some((e) => e.type === 'ActionApproved')).toBe(false)
})

test('the help overlay opens with ?, holds focus while open, closes with Escape and gives focus back', async ({ app: page }) => {
  await tabTo(page, 'nav-inbox')
  await page.keyboard.press('?')
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('Approve the open approval')
  await expect(dialog.getByTestId('help-close')).toBeFocused()
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab')
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true)
    await page.keyboard.press('Shift+Tab')
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true)
  }
  // Shortcuts are held while the dialog is open.
  await page.keyboard.press('?')
  await expect(page.getByRole('dialog')).toHaveCount(1)
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(page.getByTestId('nav-inbox')).toBeFocused()
})

test('the terminal is no keyboard trap: Tab and Shift+Tab move focus out of it', async ({ app: page }) => {
  await launchExample(page, 'fix-the-tests')
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })
  await page.getByTestId('iteration-row').first().click()
  await expect(page.getByTestId('terminal')).toContainText('FAIL')
  const inTerminal = () => page.evaluate(() => document.querySelector('[data-testid="terminal"]')!.contains(document.activeElement))
  await page.getByTestId('terminal').click()
  expect(await inTerminal()).toBe(true)
  await page.keyboard.press('Tab')
  expect(await inTerminal()).toBe(false)
  await page.keyboard.press('Shift+Tab')
  expect(await inTerminal()).toBe(true)
  await page.keyboard.press('Shift+Tab')
  expect(await inTerminal()).toBe(false)
})
