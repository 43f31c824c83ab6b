/**
 * Claude Code from the Launch form: the built-in claude-code example runs the real Claude Code
 * (against the example's offline model, no key, no network); its Bash call waits in the inbox,
 * is approved there, and the loop converges on Andon's verify.
 */
import { expect, launchExample, test } from './fixtures'

test.use({ offlineModel: true })

test('a claude-code loop is launched from the form, its Bash call approved from the inbox, and it converges', async ({ app: page }) => {
  const loopId = await launchExample(page, 'claude-code-fix-the-tests')
  await expect(page.getByTestId('inbox-count')).toHaveText('1', { timeout: 30_000 })
  await page.getByTestId('nav-inbox').click()
  const item = page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"]`)
  await expect(item).toContainText('Bash (high risk) wants approval')
  await item.click()
  const card = page.getByTestId('approval-card')
  await expect(card.getByTestId('approval-tool')).toHaveText('Bash')
  await expect(card).toContainText('node verify.js')
  await card.getByTestId('approve-button').click()
  await expect(page.getByTestId('inbox-count')).toHaveText('0')

  await page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`).click()
  await expect(page.getByTestId('termination')).toContainText('SUCCESS', { timeout: 45_000 })
  // One row per Claude Code call, read as what it did, then Andon's verify.
  const row = (n: number) => page.locator(`[data-testid="iteration-row"][data-iteration="${n}"]`)
  await expect(page.getByTestId('iteration-row')).toHaveCount(5)
  await expect(row(1)).toContainText('Bash: node verify.js')
  await expect(row(2)).toContainText('Read math.js')
  await expect(row(3)).toContainText('Edit math.js')
  await expect(row(5)).toContainText('verify')
})
