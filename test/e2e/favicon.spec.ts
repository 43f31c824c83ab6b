/** The control room has its icon: linked from the page, served as SVG under the CSP, nothing missing. */
import { expect, test } from './fixtures'

test('the page shows the andon light as its icon, and loads without a missing file', async ({ page, served }) => {
  const missing: string[] = []
  page.on('response', (r) => {
    if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`)
  })
  page.on('console', (m) => {
    if (m.type() === 'error') missing.push(m.text())
  })
  await page.goto(served.shell.url)
  await expect(page.getByTestId('connection')).toHaveText('connected')
  const href = await page.locator('link[rel="icon"]').getAttribute('href')
  expect(href).toBe('./favicon.svg')

  const icon = await page.request.get(new URL(href!, served.shell.url).toString())
  expect(icon.status()).toBe(200)
  expect(icon.headers()['content-type']).toBe('image/svg+xml')
  expect(icon.headers()['content-security-policy']).toContain("img-src 'self'")
  expect(await icon.text()).toContain('<title>Andon</title>')
  // Chromium asks for the icon itself; give it the time to, then nothing may have failed.
  await page.waitForLoadState('networkidle')
  expect(missing).toEqual([])
})
