/** Trace bundles from the GUI: export a converged loop, import it back read-only, compare the two. */
import { readFileSync } from 'node:fs'
import { expect, launchExample, test } from './fixtures'

test('a loop is exported as a bundle, imported back read-only, and compares equal to its original', async ({ app: page }, testInfo) => {
  const originalId = await launchExample(page, 'fix-the-tests')
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })

  const downloading = page.waitForEvent('download')
  await page.getByTestId('export-bundle').click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/\.andon$/)
  const file = testInfo.outputPath(download.suggestedFilename())
  await download.saveAs(file)
  expect(readFileSync(file).length).toBeGreaterThan(100)

  await page.getByTestId('import-bundle-file').setInputFiles(file)
  const view = page.getByTestId('loop-view')
  await expect(view).not.toHaveAttribute('data-loop-id', originalId)
  await expect(page.getByTestId('loop-readonly')).toBeVisible()
  await expect(page.getByTestId('resume-button')).toBeDisabled()
  await expect(page.getByTestId('iteration-row')).toHaveCount(5)

  await page.getByTestId('loop-tab-compare').click()
  await page.getByTestId('compare-with').selectOption(originalId)
  await expect(page.getByTestId('compare-divergence')).toHaveText('The runs match throughout.')
  await page.screenshot({ path: 'test-results/compare.png' })
})
