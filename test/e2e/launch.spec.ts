/** Issue 2: launch the built-in example from the GUI and watch it converge live. */
import { expect, launchExample, test } from './fixtures'

test('launches the example loop and watches it converge to SUCCESS', async ({ app: page }) => {
  const loopId = await launchExample(page, 'fix-the-tests')
  const header = page.getByTestId('loop-header')
  // Rows appear while the loop runs (pushed, not polled) before it finishes.
  await expect(page.getByTestId('iteration-row').first()).toBeVisible()
  await expect(header.getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })
  await expect(page.getByTestId('termination')).toContainText('SUCCESS')
  const rows = page.getByTestId('iteration-row')
  expect(await rows.count()).toBeGreaterThanOrEqual(3)
  await expect(rows.first()).toContainText('verify')
  await expect(rows.first()).toContainText('fail')
  await expect(rows.last()).toContainText('ok')
  await expect(rows.last()).toContainText(/all \d+ ok/)

  // The loops list shows the same loop as converged.
  const listRow = page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`)
  await expect(listRow.getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS')

  // Iteration detail and terminal replay the first iteration from the store.
  await rows.first().click()
  await expect(page.getByTestId('iteration-detail')).toHaveAttribute('data-iteration', '1')
  await expect(page.getByTestId('decision-rationale')).not.toBeEmpty()
  await expect(page.getByTestId('observation-summary')).toContainText('fail')
  await expect(page.getByTestId('terminal')).toContainText('FAIL')
  await page.screenshot({ path: 'test-results/launch-converged.png' })
})

test('a malformed spec shows a clear error naming the field, and cannot be launched', async ({ app: page }) => {
  await page.getByTestId('nav-launch').click()
  await expect(page.getByTestId('spec-valid')).toBeVisible()
  const text = page.getByTestId('spec-text')
  const original = await text.inputValue()
  await text.fill(original.replace(/^name: .*$/m, 'name: "bad/name!"').replace(/maxIterations: \d+/, 'maxIterations: -3'))
  const errors = page.getByTestId('spec-errors')
  await expect(errors.locator('li[data-path="name"]')).toBeVisible()
  await expect(errors.locator('li[data-path="invariants.maxIterations"]')).toBeVisible()
  await expect(page.getByTestId('launch-button')).toBeDisabled()

  await text.fill('task: [unclosed')
  await expect(errors).toBeVisible()
  await expect(page.getByTestId('launch-button')).toBeDisabled()

  // An override is checked at its own field too.
  await text.fill(original)
  await expect(page.getByTestId('spec-valid')).toBeVisible()
  await page.getByTestId('override-max-iterations').fill('0')
  await expect(page.getByTestId('override-max-iterations-errors')).toBeVisible()
  await expect(page.getByTestId('launch-button')).toBeDisabled()
  await page.screenshot({ path: 'test-results/launch-errors.png' })
})

test('the token leaves the address bar at once, and a page without it says how to get in', async ({ app: page, served }) => {
  expect(page.url()).not.toContain('token')
  // Reloading keeps working: the token sits in this tab's sessionStorage.
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText('connected')

  const stranger = await page.context().browser()!.newPage()
  await stranger.goto(`http://127.0.0.1:${served.shell.port}/`)
  await expect(stranger.getByTestId('missing-token')).toContainText('#token=')
  await stranger.close()
})
