/**
 * The Electron File menu's Export Loop… and Import Bundle… run the page's own export and import.
 * A stand-in shell bridge here plays the menu (the real one is in the Electron preload).
 */
import { expect, launchExample, test } from './fixtures'
import { openWithShell } from './stand-in-shell'

test('the File menu exports the selected loop, and says so when none is selected', async ({ page, served }) => {
  const { menu } = await openWithShell(page, served.shell.url)

  await menu('export-bundle')
  await expect(page.getByTestId('notice')).toContainText('select a loop to export first')

  await launchExample(page, 'fix-the-tests')
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })
  const downloading = page.waitForEvent('download')
  await menu('export-bundle')
  expect((await downloading).suggestedFilename()).toMatch(/\.andon$/)

  const choosing = page.waitForEvent('filechooser')
  await menu('import-bundle')
  expect((await choosing).isMultiple()).toBe(false)
})
