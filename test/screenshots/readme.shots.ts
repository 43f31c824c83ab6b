/**
 * Pictures for the README: the fleet view, a loop, the inbox with an escalation packet and the
 * approval card with its diff preview, after running the built-in examples on a fresh core.
 */
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, launchExample, test } from '../e2e/fixtures'

const shot = (page: Page, name: string) => page.screenshot({ path: resolve(__dirname, '../../docs/screenshots', `${name}.png`) })
const statusOf = (page: Page) => page.getByTestId('loop-header').getByTestId('status-badge')

test('README screenshots', async ({ app: page }) => {
  const converged = await launchExample(page, 'fix-the-tests')
  await expect(statusOf(page)).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })
  await launchExample(page, 'stuck-needs-a-hint')
  await expect(statusOf(page)).toHaveAttribute('data-status', 'escalated', { timeout: 30_000 })
  const gated = await launchExample(page, 'fix-the-tests', { name: 'fix-the-tests gated', autonomy: 'approve-every-action' })

  // The approval card: approve the first check, then the file edit waits with its diff.
  await page.getByTestId('nav-inbox').click()
  const item = page.locator(`[data-testid="inbox-item"][data-loop-id="${gated}"]`)
  await item.click()
  await page.getByTestId('approval-card').getByTestId('approve-button').click()
  await expect(item).toHaveAttribute('data-iteration', '2', { timeout: 20_000 })
  await item.click()
  await expect(page.getByTestId('diff-preview')).toHaveAttribute('data-kind', 'diff')
  await shot(page, 'approval-card')

  const escalation = page.locator('[data-testid="inbox-item"][data-kind="escalation"]')
  await escalation.click()
  await expect(page.getByTestId('escalation-view')).toBeVisible()
  await shot(page, 'inbox')

  await page.locator(`[data-testid="loop-row"][data-loop-id="${converged}"]`).click()
  await page.getByTestId('timeline').getByRole('row').nth(3).click()
  await expect(page.getByTestId('iteration-detail').getByTestId('observation-summary')).toBeVisible()
  await shot(page, 'loop')

  await page.getByTestId('nav-fleet').click()
  await expect(page.getByTestId('fleet-status')).toBeVisible()
  await shot(page, 'fleet')
})
