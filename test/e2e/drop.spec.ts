/** Dropping a trace bundle anywhere on the window imports it read-only; other files are refused. */
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { expect, launchExample, test } from './fixtures'

async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const dt = new DataTransfer()
      dt.items.add(new File([Uint8Array.from(data)], name))
      return dt
    },
    { name, data: [...bytes] }
  )
  await page.dispatchEvent('body', 'dragover', { dataTransfer: transfer })
  await expect(page.getByTestId('drop-overlay')).toBeVisible()
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer })
}

test('a bundle dropped on the window is imported read-only', async ({ app: page }, testInfo) => {
  const originalId = await launchExample(page, 'fix-the-tests')
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })
  const downloading = page.waitForEvent('download')
  await page.getByTestId('export-bundle').click()
  const file = testInfo.outputPath('dropped.andon')
  await (await downloading).saveAs(file)

  await dropFile(page, 'notes.txt', Buffer.from('hello'))
  await expect(page.getByTestId('notice')).toContainText('notes.txt is not a trace bundle')
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0)

  await dropFile(page, 'dropped.andon', readFileSync(file))
  await expect(page.getByTestId('loop-view')).not.toHaveAttribute('data-loop-id', originalId)
  await expect(page.getByTestId('loop-readonly')).toBeVisible()
  await expect(page.getByTestId('iteration-row')).toHaveCount(5)
})
