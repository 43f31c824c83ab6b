/** The Launch form checks what would fail at launch, at the field, before the operator presses Launch. */
import { expect, test } from './fixtures'

test('github-reconcile without GITHUB_TOKEN is not "valid": the form names the tool that needs it and refuses to launch', async ({ app: page }) => {
  await page.getByTestId('nav-launch').click()
  await page.getByTestId('spec-select').selectOption({ label: 'github-reconcile' })
  const errors = page.getByTestId('spec-errors')
  await expect(errors.locator('li[data-path="tools.1.name"]')).toHaveText('tools.1.name github_open_issue needs GITHUB_TOKEN in the environment')
  // A rule that names no repository cannot succeed here either (the core's environment has no GITHUB_REPOSITORY).
  await expect(errors.locator('li[data-path="policy.rules.0.then.args"]')).toContainText('github_ci_status needs a repository')
  // The read-only tool only warns: without a token it can still read public repositories.
  await expect(page.getByTestId('spec-warnings').locator('li[data-path="tools.0.name"]')).toContainText('github_ci_status needs GITHUB_TOKEN in the environment: without it')
  await expect(page.getByTestId('spec-valid')).toHaveCount(0)
  await expect(page.getByTestId('launch-button')).toBeDisabled()
  await expect(page.getByTestId('spec-text')).toHaveAttribute('aria-invalid', 'true')

  // Another spec is valid again, and launchable.
  await page.getByTestId('spec-select').selectOption({ label: 'fix-the-tests' })
  await expect(page.getByTestId('spec-valid')).toBeVisible()
  await expect(page.getByTestId('spec-errors')).toHaveCount(0)
  await expect(page.getByTestId('launch-button')).toBeEnabled()
})
