/**
 * E2e fixtures: a real core (`createAndon`) on a fresh temp data dir per test file, served by the
 * real web shell on 127.0.0.1; the page opens the printed URL (token in the fragment).
 */
import { test as base, expect } from '@playwright/test'
import type { Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { Andon } from '../../src/main/core/andon'
import { setSharedBackpressure } from '../../src/main/core/backpressure'
import { createAndon } from '../../src/main/core/create-andon'
import { startWebShell } from '../../src/main/web/server'
import type { WebShell } from '../../src/main/web/server'

const RENDERER_DIR = resolve(__dirname, '../../out/renderer')

interface Served {
  andon: Andon
  shell: WebShell
  dataDir: string
}

interface Options {
  /** Run the example's offline model and give the core the environment that points Claude Code at it. */
  offlineModel: boolean
  /** Prepares the data dir before the core starts (e.g. a loop left behind by a killed process). */
  seed: { run(dataDir: string): Promise<void> } | null
  /** Extra spec files (name → text) listed in the launch form; `files` go beside them. */
  specs: { specs: Record<string, string>; files?: Record<string, string> } | null
}

export const test = base.extend<{ app: Page; served: Served } & Options>({
  seed: [null, { option: true }],
  offlineModel: [false, { option: true }],
  specs: [null, { option: true }],
  // A fresh data dir and core per test: no test sees another's loops.
  served: async ({ seed, specs, offlineModel }, use) => {
      if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`no built renderer in ${RENDERER_DIR}: run \`npx electron-vite build\` first`)
      const dataDir = mkdtempSync(join(tmpdir(), 'andon-e2e-'))
      const specDirs: string[] = []
      if (specs) {
        const dir = join(dataDir, 'specs')
        for (const [name, text] of Object.entries({ ...specs.files, ...specs.specs })) {
          mkdirSync(dirname(join(dir, name)), { recursive: true })
          writeFileSync(join(dir, name), text)
        }
        specDirs.push(dir)
      }
      if (seed) await seed.run(dataDir)
      const model = offlineModel ? await startOfflineModel(dataDir) : null
      // A fresh process's backpressure too: the daily ledger is per process, and tests share one.
      setSharedBackpressure(null)
      const andon = await createAndon({ dataDir, env: model?.env ?? {}, specDirs })
      const shell = await startWebShell({ andon, rendererDir: RENDERER_DIR })
      await use({ andon, shell, dataDir })
      await shell.close()
      await andon.close()
      model?.child.kill()
      rmSync(dataDir, { recursive: true, force: true })
  },
  app: async ({ page, served }, use) => {
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`))
    await page.goto(served.shell.url)
    await expect(page.getByTestId('connection')).toHaveText('connected')
    await use(page)
  }
})

export { expect }

/** The claude-code example's offline model, as a user starts it: a child process that prints its URL. */
async function startOfflineModel(dataDir: string): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const child = spawn(process.execPath, [resolve(__dirname, '../../resources/examples/claude-code/offline-model.mjs'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /listening on (\S+)/.exec(line)
      if (m) done(m[1])
    })
    child.on('exit', () => fail(new Error('the offline model exited')))
  })
  const home = join(dataDir, 'home')
  return {
    child,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CLAUDE_CONFIG_DIR: join(home, '.claude'), ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: 'offline', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' }
  }
}

/** Launch a built-in example from the launch form and wait for its loop view. */
export async function launchExample(page: Page, specName: string, overrides: { name?: string; autonomy?: string } = {}): Promise<string> {
  await page.getByTestId('nav-launch').click()
  const select = page.getByTestId('spec-select')
  // The whole label: `fix-the-tests` must not also match `claude-code-fix-the-tests`.
  const label = new RegExp(`^\\s*${specName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`)
  await expect(select.locator('option', { hasText: label })).toHaveCount(1)
  await select.selectOption({ label: specName })
  await expect(page.getByTestId('spec-valid')).toBeVisible()
  if (overrides.name) await page.getByTestId('override-name').fill(overrides.name)
  if (overrides.autonomy) await page.getByTestId('override-autonomy').selectOption(overrides.autonomy)
  await page.getByTestId('launch-button').click()
  const view = page.getByTestId('loop-view')
  await expect(view).toBeVisible()
  return (await view.getAttribute('data-loop-id')) ?? ''
}
