/**
 * The spec's own guardrails from the GUI: a CEL error is shown at its field with its position
 * before anything launches; a call a custom invariant refuses never runs, the inbox shows the
 * invariant in the matrix with its remediation, and relaxing it from the packet lets the loop finish.
 */
import { expect, test } from './fixtures'

test('a CEL error is shown at its field; a refused call is in the inbox with its remediation, and relaxing it lets the loop converge', async ({ app: page }) => {
  await page.getByTestId('nav-launch').click()
  await page.getByTestId('spec-select').selectOption({ label: 'guarded-fix-the-tests' })
  await expect(page.getByTestId('spec-valid')).toBeVisible()
  const text = page.getByTestId('spec-text')
  const original = await text.inputValue()

  await text.fill(original.replace('call.args.path == "math.js"', 'call.args.path == "math.js" && state.iteratoin > 0'))
  const error = page.getByTestId('spec-errors').locator('li[data-path="invariants.custom.0.expr"]')
  await expect(error).toContainText('CEL error at line 1, column 72: No such key: iteratoin')
  await expect(page.getByTestId('launch-button')).toBeDisabled()

  // A guardrail this loop will break: only lib.js may be edited.
  await text.fill(original.replace('call.args.path == "math.js"', 'call.args.path == "lib.js"'))
  await expect(page.getByTestId('spec-valid')).toBeVisible()
  await page.getByTestId('launch-button').click()
  const view = page.getByTestId('loop-view')
  await expect(view).toBeVisible()
  const loopId = (await view.getAttribute('data-loop-id')) ?? ''

  await expect(page.getByTestId('inbox-count')).toHaveText('1', { timeout: 30_000 })
  await page.getByTestId('nav-inbox').click()
  await page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"]`).click()
  const escalation = page.getByTestId('escalation-view')
  await expect(page.getByTestId('escalation-summary')).toContainText('invariant only-math-js refused the call')
  await expect(escalation).toContainText('only math.js is in scope')
  await expect(escalation.locator('[data-testid="matrix-row"][data-invariant="only-math-js"]')).toHaveClass(/failing/)
  await expect(escalation.locator('[data-testid="matrix-row"][data-invariant="fixes-keep-it-loading"]')).toBeVisible()

  await escalation.getByTestId('suggestion').filter({ hasText: 'Only record "only-math-js"' }).click()
  await page.getByTestId('patch-resume').click()
  await page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`).click()
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })
  await page.screenshot({ path: 'test-results/guardrails.png' })
})
