/**
 * The Electron shell end to end, with Playwright's `_electron`. Runs where Electron can start;
 * elsewhere (no Electron binary, no display, no Electron build of better-sqlite3) every test is
 * skipped and the reason printed once. Each run gets a fresh data dir (ANDON_DATA_DIR).
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { commandNames } from '../../src/shared/contract'
import { cachedBindingPath } from '../../src/main/electron/native'

const root = resolve(__dirname, '../..')

/** Where Electron could start, its executable and sqlite build; otherwise why not. */
function electronLaunchable(): { exe: string; binding: string } | { reason: string } {
  const pkg = join(root, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  const exe = existsSync(pathFile) ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist'), readFileSync(pathFile, 'utf8').trim()) : null
  if (!exe || !existsSync(exe)) return { reason: 'the Electron binary is not installed (node_modules/electron/dist is missing)' }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'no display (DISPLAY/WAYLAND_DISPLAY unset)' }
  const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version as string
  const binding = process.env.ANDON_NATIVE_BINDING || cachedBindingPath(root, version)
  if (!existsSync(binding)) return { reason: `no better-sqlite3 build for Electron ${version} (run node scripts/desktop/electron-native.mjs)` }
  if (!existsSync(join(root, 'out', 'main', 'index.js'))) return { reason: 'the app is not built (npx electron-vite build)' }
  return { exe, binding }
}

const launchable = electronLaunchable()
if ('reason' in launchable) console.log(`[electron e2e] skipped: ${launchable.reason}`)

test.describe('Electron shell', () => {
  test.skip('reason' in launchable, 'reason' in launchable ? launchable.reason : '')

  let app: ElectronApplication
  let page: Page
  let dataDir: string

  test.beforeAll(async () => {
    if (!('exe' in launchable)) return
    dataDir = mkdtempSync(join(tmpdir(), 'andon-electron-e2e-'))
    app = await electron.launch({
      executablePath: launchable.exe,
      args: [root],
      cwd: root,
      env: { ...process.env, ANDON_DATA_DIR: dataDir, ANDON_NATIVE_BINDING: launchable.binding, ELECTRON_RENDERER_URL: '' }
    })
    page = await app.firstWindow()
    await expect(page.getByTestId('connection')).toHaveText('connected')
  })

  test.afterAll(async () => {
    await app?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  // Page-side code below runs in the renderer; `globalThis` is its window.
  type PageGlobal = {
    andon: Record<string, (input?: unknown) => Promise<unknown>>
    require?: unknown
    process?: unknown
    location: { href: string }
    open(url: string, target: string): unknown
  }

  test('the window is hardened: isolated, sandboxed, no Node in the page', async () => {
    expect(page.url()).toMatch(/^app:\/\/andon\//)
    const seen = await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobal
      return { require: typeof w.require, process: typeof w.process, frozen: Object.isFrozen(w.andon), api: Object.keys(w.andon).sort() }
    })
    // contextBridge hands the page a frozen copy; without isolation it would be the preload's own object.
    expect(seen).toEqual({ require: 'undefined', process: 'undefined', frozen: true, api: [...commandNames, 'onPush'].sort() })
  })

  test('navigation away and new windows are refused', async () => {
    await page.evaluate(() => (globalThis as unknown as PageGlobal).open('http://127.0.0.1:9/', '_blank'))
    await page.evaluate(() => ((globalThis as unknown as PageGlobal).location.href = 'http://127.0.0.1:9/'))
    await page.waitForTimeout(500)
    expect(page.url()).toMatch(/^app:\/\/andon\//)
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
  })

  test('bad input gets a clear error naming the field', async () => {
    const message = await page.evaluate(() =>
      (globalThis as unknown as PageGlobal).andon.getLoop({ loopId: '../etc' }).then(
        () => 'resolved',
        (e: Error) => e.message
      )
    )
    expect(message).toContain('getLoop: invalid input — loopId')
  })

  test('launches the built-in example from the GUI and watches it converge', async () => {
    await page.getByTestId('nav-launch').click()
    await page.getByTestId('spec-select').selectOption({ label: 'fix-the-tests' })
    await expect(page.getByTestId('spec-valid')).toBeVisible()
    await page.getByTestId('launch-button').click()
    const header = page.getByTestId('loop-header')
    await expect(header.getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })
    expect(await page.getByTestId('iteration-row').count()).toBeGreaterThanOrEqual(3)
  })
})
