/** The Patch tab on loops whose state cannot be patched in place: it says why and where to go, and offers no Apply. */
import { expect, launchExample, test } from './fixtures'

test('a terminated loop and an imported one are patched through a fork: the tab says so and leads to Time travel', async ({ app: page }, testInfo) => {
  await launchExample(page, 'fix-the-tests')
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })

  await page.getByTestId('loop-tab-patch').click()
  const editor = page.getByTestId('patch-editor')
  await expect(editor.getByTestId('patch-hint')).toHaveText(/^This loop has terminated \(SUCCESS\): its state can no longer be patched\. Fork it from Time travel/)
  await expect(editor.getByTestId('patch-apply')).toHaveCount(0)
  await expect(editor.getByTestId('patch-fact')).toHaveCount(0)
  await editor.getByTestId('patch-open-time-travel').click()
  await expect(page.getByTestId('loop-tab-travel')).toHaveClass(/active/)

  const downloading = page.waitForEvent('download')
  await page.getByTestId('export-bundle').click()
  const file = testInfo.outputPath('terminated.andon')
  await (await downloading).saveAs(file)
  await page.getByTestId('import-bundle-file').setInputFiles(file)
  await expect(page.getByTestId('loop-readonly')).toBeVisible()
  await page.getByTestId('loop-tab-patch').click()
  await expect(editor.getByTestId('patch-hint')).toHaveText(/^This loop was imported from a bundle and is read-only: .* Fork it first \(from Time travel\), then patch the fork\.$/)
  await expect(editor.getByTestId('patch-apply')).toHaveCount(0)
})
