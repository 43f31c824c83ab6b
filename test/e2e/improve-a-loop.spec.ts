/** The improvement loop is one of the launch form's examples, checked like any other before launch. */
import { expect, test } from './fixtures'

test('the launch form lists improve-a-loop; without a key it names what is missing and will not launch', async ({ app: page }) => {
  await page.getByTestId('nav-launch').click()
  await page.getByTestId('spec-select').selectOption({ label: 'improve-a-loop' })
  // The operator sees how it is supervised before launching it.
  await expect(page.getByTestId('spec-text')).toHaveValue(/ask: \[write_file\(candidate\.yaml\)\]/)
  // And how it is judged: the judge's files by hash, then the gate refusing any candidate that could start a program.
  await expect(page.getByTestId('spec-text')).toHaveValue(/- name: judge unchanged[\s\S]*--require-better --no-commands/)
  // Its workspace template resolves from the spec file: the only problem is the missing key.
  const errors = page.getByTestId('spec-errors').locator('li')
  await expect(errors).toHaveCount(1)
  await expect(errors.first()).toContainText('ANTHROPIC_API_KEY')
  await expect(page.getByTestId('launch-button')).toBeDisabled()
})
