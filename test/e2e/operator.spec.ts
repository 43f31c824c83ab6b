/** Issue 3: the operator in the loop — escalation, patch and resume; approvals with edits; fork. */
import type { Page } from '@playwright/test'
import { expect, launchExample, test } from './fixtures'

async function expectReason(page: Page, reason: string, timeout = 30_000) {
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', reason, { timeout })
}

test('a stuck loop escalates; the operator reads the packet, patches state, resumes, and it converges', async ({ app: page }) => {
  const loopId = await launchExample(page, 'stuck-needs-a-hint')
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-status', 'escalated', { timeout: 30_000 })
  await expect(page.getByTestId('inbox-count')).toHaveText('1')
  await expect(page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`).getByTestId('loop-waiting')).toContainText('1')

  await page.getByTestId('nav-inbox').click()
  const item = page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"]`)
  await expect(item).toHaveAttribute('data-kind', 'escalation')
  await item.click()
  const packet = page.getByTestId('escalation-view')
  await expect(packet.getByTestId('escalation-summary')).not.toBeEmpty()
  await expect(packet.getByTestId('invariant-matrix').locator('td.cell-bad').first()).toBeVisible()
  await expect(packet.getByTestId('confidence-chart')).toBeVisible()
  await expect(packet.getByTestId('reasoning-trail').locator('li').first()).toContainText('verify')
  await page.screenshot({ path: 'test-results/escalation-packet.png', fullPage: true })

  // The suggested "add a fact" opens the patch editor with the template to complete.
  await packet.getByTestId('suggestion').filter({ hasText: 'Add a fact' }).click()
  const editor = page.getByTestId('patch-editor')
  await expect(editor.getByTestId('patch-fact')).toHaveValue('Hint: ')

  // A bad value is refused at the field and nothing is sent.
  await editor.getByTestId('patch-invariant-name').selectOption('maxIterations')
  await editor.getByTestId('patch-invariant-value').fill('-2')
  await editor.getByTestId('patch-set-invariant').click()
  await expect(editor.getByTestId('patch-errors').locator('li[data-path="invariants.maxIterations"]')).toBeVisible()
  await expect(editor.getByTestId('patch-apply')).toBeDisabled()
  await editor.getByTestId('pending-ops').getByRole('button', { name: 'remove' }).click()
  await expect(editor.getByTestId('patch-errors')).toHaveCount(0)

  await editor.getByTestId('patch-fact').fill('Hint: region is eu-west-1')
  await editor.getByTestId('patch-add-fact').click()
  await expect(editor.getByTestId('pending-ops')).toContainText('Hint: region is eu-west-1')
  await expect(editor.getByTestId('patch-errors')).toHaveCount(0)
  await editor.getByTestId('patch-why').fill('the region comes from the ops runbook')
  await editor.getByTestId('patch-apply').click()
  const result = page.getByTestId('patch-result')
  await expect(result.getByTestId('state-diff')).toContainText('region is eu-west-1')
  await page.screenshot({ path: 'test-results/patch-diff.png' })
  await result.getByTestId('patch-resume').click()

  await expectReason(page, 'SUCCESS')
  await expect(page.getByTestId('inbox-count')).toHaveText('0')
})

test('an approval is edited, approved, and the edited call is what runs', async ({ app: page }) => {
  const loopId = await launchExample(page, 'fix-the-tests', { name: 'gated fix', autonomy: 'approve-every-action' })
  /** Approve the next call; with `edit`, replace its args and check the card shows both versions as line diffs. */
  const approveNext = async (edit?: { args: string; runs: string; proposed: string }) => {
    await page.getByTestId('nav-inbox').click()
    const item = page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"]`)
    await expect(item).toHaveCount(1, { timeout: 20_000 })
    const iteration = await item.getAttribute('data-iteration')
    await item.click()
    const card = page.getByTestId('approval-card')
    await expect(card.getByTestId('approval-tool')).not.toHaveText('—')
    const tool = await card.getByTestId('approval-tool').innerText()
    if (edit) {
      const args = card.getByTestId('approval-args')
      await expect(args).not.toHaveValue('')
      await args.fill('{ not json')
      await expect(card.getByTestId('approval-args-error')).toBeVisible()
      await expect(card.getByTestId('approve-edited-button')).toBeDisabled()
      await args.fill(edit.args)
      await expect(card.getByTestId('approval-args-error')).toHaveCount(0)
      await expect(card.getByTestId('action-diff').first()).toContainText(edit.runs)
      await expect(card.getByTestId('approval-original').getByTestId('action-diff')).toContainText(edit.proposed)
      await page.screenshot({ path: 'test-results/approval-card.png' })
      await card.getByTestId('approve-edited-button').click()
    } else {
      await card.getByTestId('approve-button').click()
    }
    // The next approval may arrive at once: wait for this one to leave the inbox.
    await expect(page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"][data-iteration="${iteration}"]`)).toHaveCount(0)
    return tool
  }

  expect(await approveNext()).toBe('verify')
  const edited = await approveNext({ args: JSON.stringify({ path: 'math.js', find: 'a - b', replace: 'b + a' }, null, 2), runs: '+ b + a', proposed: '+ a + b' })
  expect(edited).toBe('replace_in_file')
  for (let i = 0; i < 3; i++) {
    await approveNext()
  }
  await page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`).click()
  await expectReason(page, 'SUCCESS')
  const row2 = page.locator('[data-testid="iteration-row"][data-iteration="2"]')
  await expect(row2).toContainText('edited')
  await expect(row2).toContainText('replace_in_file math.js: "a - b" → "b + a"')
  // Its detail shows the edit that ran as a diff, and the proposal the operator changed.
  await row2.click()
  const detail = page.locator('[data-testid="iteration-detail"][data-iteration="2"]')
  const diff = detail.getByTestId('action-diff').first()
  await expect(diff).toContainText('- a - b')
  await expect(diff).toContainText('+ b + a')
  await expect(detail.getByTestId('original-proposal')).toContainText('+ a + b')
})

test('time travel shows an earlier state and a fork from iteration 2 runs to SUCCESS', async ({ app: page }) => {
  const parentId = await launchExample(page, 'fix-the-tests')
  await expectReason(page, 'SUCCESS')
  await page.getByTestId('loop-tab-travel').click()
  const travel = page.getByTestId('time-travel')
  await travel.getByTestId('travel-iteration').fill('2')
  await travel.getByTestId('travel-jump').click()
  await expect(travel.getByTestId('travel-state-iteration')).toHaveText('2')
  await page.screenshot({ path: 'test-results/time-travel.png' })
  await travel.getByTestId('fork-button').click()

  const view = page.getByTestId('loop-view')
  await expect(view).not.toHaveAttribute('data-loop-id', parentId)
  await expect(page.getByTestId('loop-parent')).toContainText('fix-the-tests')
  await expectReason(page, 'SUCCESS')
  // The fork starts after iteration 2: it does not redo the first fix.
  await expect(page.getByTestId('iteration-row').first()).toHaveAttribute('data-iteration', '3')
  const childId = await view.getAttribute('data-loop-id')
  await expect(page.locator(`[data-testid="loop-row"][data-loop-id="${childId}"]`)).toContainText('fix-the-tests')
})

test('a one-click suggestion relaxes an invariant and the loop runs on; the raw JSON patch then lets it converge', async ({ app: page }) => {
  const loopId = await launchExample(page, 'stuck-needs-a-hint')
  await expect(page.getByTestId('inbox-count')).toHaveText('1', { timeout: 30_000 })
  await page.getByTestId('nav-inbox').click()
  await page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"]`).click()
  await page.getByTestId('suggestion').filter({ hasText: 'identical calls in a row' }).click()
  const result = page.getByTestId('patch-result')
  await expect(result.getByTestId('state-diff')).toContainText('invariants.sameActionLimit')
  await expect(result.getByTestId('state-diff')).toContainText('+ 5')
  await result.getByTestId('patch-resume').click()
  await expect(page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"][data-iteration="5"]`)).toHaveCount(0)
  // With no hint it gets stuck again, later, and is back in the inbox.
  await page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`).click()
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-status', 'escalated', { timeout: 30_000 })
  await expect(page.getByTestId('loop-iteration')).toHaveText(/iteration ([6-9]|\d\d)/)
  await expect(page.getByTestId('inbox-count')).toHaveText('1')

  // The raw JSON view: errors at the field, nothing sent until the state is valid.
  await page.getByTestId('loop-tab-patch').click()
  const editor = page.getByTestId('patch-editor')
  await editor.getByTestId('patch-mode-raw').click()
  const raw = editor.getByTestId('patch-raw')
  const current = JSON.parse(await raw.inputValue())
  await raw.fill('{ "subgoal": ')
  await expect(editor.getByTestId('patch-errors')).toContainText('not valid JSON')
  await raw.fill(JSON.stringify({ ...current, facts: 'region is eu-west-1' }, null, 2))
  await expect(editor.getByTestId('patch-errors').locator('li[data-path="facts"]')).toBeVisible()
  await expect(editor.getByTestId('patch-apply')).toBeDisabled()
  await raw.fill(JSON.stringify({ ...current, facts: ['region is eu-west-1'] }, null, 2))
  await expect(editor.getByTestId('patch-errors')).toHaveCount(0)
  await editor.getByTestId('patch-apply').click()
  await expect(page.getByTestId('state-diff')).toContainText('facts[0]')
  await page.getByTestId('patch-resume').click()
  await expectReason(page, 'SUCCESS')
})

test('cancelling a loop that waits for approval ends it and clears the inbox', async ({ app: page }) => {
  await launchExample(page, 'fix-the-tests', { autonomy: 'approve-every-action' })
  await expect(page.getByTestId('inbox-count')).toHaveText('1', { timeout: 20_000 })
  page.once('dialog', (d) => void d.accept())
  await page.getByTestId('cancel-button').click()
  await expectReason(page, 'CANCELLED')
  await expect(page.getByTestId('inbox-count')).toHaveText('0')
})
