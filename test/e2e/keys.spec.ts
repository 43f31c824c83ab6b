/**
 * The Keys screen exists only with the Electron shell's `window.andonShell`; here a stand-in
 * bridge records what the page sends. The key goes to the shell once and is never shown back.
 */
import { expect, test } from './fixtures'

test('keys: hidden in the web shell', async ({ app: page }) => {
  await expect(page.getByTestId('nav-keys')).toHaveCount(0)
})

test('keys: saved through the shell bridge, never displayed again', async ({ page, served }) => {
  await page.addInitScript(() => {
    const stored = new Set<string>()
    const sent: string[] = []
    const status = () => ['ANTHROPIC_API_KEY', 'GITHUB_TOKEN'].map((name) => ({ name, stored: stored.has(name), fromEnvironment: false }))
    ;(window as unknown as Record<string, unknown>).__sent = sent
    ;(window as unknown as Record<string, unknown>).andonShell = {
      secretStatus: async () => status(),
      setSecret: async (name: string, value: string) => {
        stored.add(name)
        sent.push(`${name}=${value}`)
        return status()
      },
      clearSecret: async (name: string) => {
        stored.delete(name)
        return status()
      }
    }
  })
  await page.goto(served.shell.url)
  await page.getByTestId('nav-keys').click()
  const row = page.getByTestId('key-ANTHROPIC_API_KEY')
  await expect(row.getByTestId('key-status')).toHaveText('not stored')
  await row.getByTestId('key-input').fill('sk-ant-test-123')
  await row.getByTestId('key-save').click()
  await expect(row.getByTestId('key-status')).toContainText('stored (encrypted)')
  await expect(row.getByTestId('key-input')).toHaveValue('')
  await expect(page.locator('body')).not.toContainText('sk-ant-test-123')
  expect(await page.evaluate(() => (window as unknown as { __sent: string[] }).__sent)).toEqual(['ANTHROPIC_API_KEY=sk-ant-test-123'])
  await row.getByTestId('key-clear').click()
  await expect(row.getByTestId('key-status')).toHaveText('not stored')
})
