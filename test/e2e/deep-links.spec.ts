/**
 * Deep links and a stable address, against the real core behind the web shell started as
 * `npm start -- --web` starts it (address saved in the data dir): the address follows the view,
 * reload keeps it, back/forward move between views, a link with the token opens a fresh tab at
 * the view, a restart of the web shell on the same data dir is reconnected by the open tab, and
 * a tab whose token was rotated away gets back in when the new token is opened in it.
 */
import { test as base, type Page } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Andon } from '../../src/main/core/andon'
import { createAndon } from '../../src/main/core/create-andon'
import type { WebShell } from '../../src/main/web/server'
import { rotateToken } from '../../src/main/web/address'
import { startStableWebShell } from '../../src/main/web/stable-shell'
import { expect, launchExample } from './fixtures'

const RENDERER_DIR = resolve(__dirname, '../../out/renderer')

/** A core and web shell on one data dir that can be stopped and started again, like quitting and rerunning `npm start`. */
class RestartableShell {
  private running: { andon: Andon; shell: WebShell } | null = null
  readonly warnings: string[] = []
  constructor(readonly dataDir: string) {}

  async start(): Promise<WebShell> {
    const andon = await createAndon({ dataDir: this.dataDir, env: {} })
    const shell = await startStableWebShell({ andon, rendererDir: RENDERER_DIR, dataDir: this.dataDir, warn: (line) => this.warnings.push(line) })
    this.running = { andon, shell }
    return shell
  }

  async stop(): Promise<void> {
    if (!this.running) return
    await this.running.shell.close()
    await this.running.andon.close()
    this.running = null
  }

  get shell(): WebShell {
    if (!this.running) throw new Error('the web shell is stopped')
    return this.running.shell
  }
}

const test = base.extend<{ site: RestartableShell; app: Page }>({
  site: async ({}, use) => {
    const site = new RestartableShell(mkdtempSync(join(tmpdir(), 'andon-e2e-links-')))
    await site.start()
    await use(site)
    await site.stop()
    rmSync(site.dataDir, { recursive: true, force: true })
  },
  app: async ({ page, site }, use) => {
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
    await page.goto(site.shell.url)
    await expect(page.getByTestId('connection')).toHaveText('connected')
    await use(page)
  }
})

const hashOf = (page: Page) => new URL(page.url()).hash
const row = (page: Page, iteration: number) => page.locator(`[data-testid="iteration-row"][data-iteration="${iteration}"]`)

test("a loop's tab and iteration survive reload, back and forward walk the views, a link with the token opens a fresh tab", async ({ app: page, site }) => {
  // The printed URL's token is put away and the address names the screen instead.
  await expect.poll(() => hashOf(page)).toBe('#/launch')
  const loopId = await launchExample(page, 'fix-the-tests')
  const loopHash = `#/loop/${encodeURIComponent(loopId)}`
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })
  expect(hashOf(page)).toBe(`${loopHash}/timeline`)

  await row(page, 2).click()
  await expect(row(page, 2)).toHaveClass(/selected/)
  expect(hashOf(page)).toBe(`${loopHash}/timeline/2`)
  await page.getByTestId('loop-tab-patch').click()
  await expect(page.getByTestId('patch-editor')).toBeVisible()
  expect(hashOf(page)).toBe(`${loopHash}/patch/2`)

  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText('connected')
  await expect(page.getByTestId('loop-view')).toHaveAttribute('data-loop-id', loopId)
  await expect(page.getByTestId('patch-editor')).toBeVisible()
  await expect(page.getByTestId('loop-tab-patch')).toHaveClass(/active/)

  await page.goBack()
  await expect(page.getByTestId('timeline')).toBeVisible()
  await expect(row(page, 2)).toHaveClass(/selected/)
  await page.goBack()
  await expect(row(page, 5)).toBeVisible()
  await expect(page.locator('[data-testid="iteration-row"].selected')).toHaveCount(0)
  expect(hashOf(page)).toBe(`${loopHash}/timeline`)
  await page.goBack()
  await expect(page.getByTestId('launch-button')).toBeVisible()
  await page.goForward()
  await page.goForward()
  await expect(row(page, 2)).toHaveClass(/selected/)
  expect(hashOf(page)).toBe(`${loopHash}/timeline/2`)

  // A link that carries the token opens a fresh tab (no token of its own yet) at the view; the token leaves the address.
  const fresh = await page.context().newPage()
  await fresh.goto(`http://127.0.0.1:${site.shell.port}/${loopHash}/travel?token=${site.shell.token}`)
  await expect(fresh.getByTestId('connection')).toHaveText('connected')
  await expect(fresh.getByTestId('loop-view')).toHaveAttribute('data-loop-id', loopId)
  await expect(fresh.getByTestId('loop-tab-travel')).toHaveClass(/active/)
  expect(hashOf(fresh)).toBe(`${loopHash}/travel`)
  // Without the token a fresh tab says how to get in, and shows nothing.
  const stranger = await page.context().newPage()
  await stranger.goto(`http://127.0.0.1:${site.shell.port}/${loopHash}/travel`)
  await expect(stranger.getByTestId('missing-token')).toBeVisible()
  await expect(stranger.getByTestId('loop-view')).toHaveCount(0)
  // The printed URL opened in that same tab (only the fragment changes) lets it in.
  await stranger.goto(site.shell.url)
  await expect(stranger.getByTestId('connection')).toHaveText('connected')

  // An address that names nothing says so and shows what was shown before.
  await page.goto(`http://127.0.0.1:${site.shell.port}/#/loop/${encodeURIComponent(loopId)}/history`)
  await expect(page.getByTestId('notice')).toContainText('a loop has no tab "history"')
  await expect.poll(() => hashOf(page)).toBe(`${loopHash}/timeline/2`)
})

test('the inbox item opened is in the address and comes back on reload', async ({ app: page }) => {
  const first = await launchExample(page, 'stuck-needs-a-hint', { name: 'stuck one' })
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-status', 'escalated', { timeout: 30_000 })
  const second = await launchExample(page, 'stuck-needs-a-hint', { name: 'stuck two' })
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-status', 'escalated', { timeout: 30_000 })
  await expect(page.getByTestId('inbox-count')).toHaveText('2')

  await page.getByTestId('nav-inbox').click()
  expect(hashOf(page)).toBe('#/inbox')
  // Open the item the inbox does not show by default (it shows the first).
  const items = page.getByTestId('inbox-item')
  const notFirst = (await items.first().getAttribute('data-loop-id')) === first ? second : first
  await page.locator(`[data-testid="inbox-item"][data-loop-id="${notFirst}"]`).click()
  await expect(page.locator('.inbox-item.selected')).toHaveAttribute('data-loop-id', notFirst)
  expect(hashOf(page)).toMatch(new RegExp(`^#/inbox/${encodeURIComponent(`${notFirst}:escalation:`)}.+`))

  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText('connected')
  await expect(page.locator('.inbox-item.selected')).toHaveAttribute('data-loop-id', notFirst)
  await expect(page.getByTestId('escalation-view')).toBeVisible()
})

test('the open tab reconnects by itself to a web shell restarted on the same data dir, and shows the loop', async ({ app: page, site }) => {
  const loopId = await launchExample(page, 'stuck-needs-a-hint')
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-status', 'escalated', { timeout: 30_000 })
  await page.getByTestId('loop-tab-patch').click()
  const address = page.url()
  const before = site.shell
  // Marks this document: a navigation or reload would lose it.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true))

  await site.stop()
  await expect(page.getByTestId('connection')).not.toHaveText('connected')
  const after = await site.start()
  expect(site.warnings).toEqual([])
  expect({ port: after.port, token: after.token }).toEqual({ port: before.port, token: before.token })

  await expect(page.getByTestId('connection')).toHaveText('connected')
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)
  expect(page.url()).toBe(address)
  await expect(page.getByTestId('loop-view')).toHaveAttribute('data-loop-id', loopId)
  await expect(page.getByTestId('patch-editor')).toBeVisible()
  await expect(page.getByTestId('inbox-count')).toHaveText('1')

  // Commands and pushed events go through the new server: a launch from this tab runs live to SUCCESS.
  await launchExample(page, 'fix-the-tests')
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })
})

test('after the token is rotated and the shell restarted, the open tab says its token was refused; the new token opened in that tab lets it back in', async ({ app: page, site }) => {
  const loopId = await launchExample(page, 'fix-the-tests')
  const loopHash = `#/loop/${encodeURIComponent(loopId)}`
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })
  await site.stop()
  rotateToken(site.dataDir)
  const after = await site.start()
  await expect(page.getByTestId('connection')).toHaveText('token refused')
  await expect(page.getByTestId('notice')).toContainText("refused this tab's token")

  // The printed URL, opened in this same tab: the token is kept, never shown, and the tab connects again.
  await page.goto(after.url)
  await expect(page.getByTestId('connection')).toHaveText('connected')
  await expect.poll(() => hashOf(page)).toBe('#/launch')
  await expect(page.locator('body')).not.toContainText(after.token.slice(0, 8))

  // A link to a loop's tab carrying the next token does the same, and opens that tab.
  await site.stop()
  rotateToken(site.dataDir)
  const again = await site.start()
  await expect(page.getByTestId('connection')).toHaveText('token refused')
  await page.goto(`http://127.0.0.1:${again.port}/${loopHash}/patch?token=${again.token}`)
  await expect(page.getByTestId('connection')).toHaveText('connected')
  await expect(page.getByTestId('loop-view')).toHaveAttribute('data-loop-id', loopId)
  await expect(page.getByTestId('loop-tab-patch')).toHaveClass(/active/)
  expect(hashOf(page)).toBe(`${loopHash}/patch`)
})
