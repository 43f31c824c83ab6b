/**
 * Live plumbing with the real core behind the real web shell: a running tool's output streams
 * into the terminal as it is printed (ANSI colours kept), and after the server goes away and
 * comes back on the same port and token, the page reconnects and resyncs what it missed.
 */
import { test as base, expect } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { stringify } from 'yaml'
import type { Andon } from '../../src/main/core/andon'
import { createAndon } from '../../src/main/core/create-andon'
import { startWebShell } from '../../src/main/web/server'
import type { WebShell } from '../../src/main/web/server'
import { launchExample } from './fixtures'

const RENDERER_DIR = resolve(__dirname, '../../out/renderer')

/** Prints a red line, waits, then a green one: the first must be on screen while the call still runs. */
const streaming = stringify({
  name: 'streaming-output',
  task: 'Run two checks, slowly.',
  policy: {
    kind: 'rules',
    rules: [
      {
        name: 'checks',
        when: {},
        then: { tool: 'run_command', args: { command: "printf '\\033[31mFAIL\\033[0m first check\\n'; sleep 3; printf '\\033[32mok\\033[0m   second check\\n'" } }
      }
    ]
  },
  invariants: { maxIterations: 1 }
})

const test = base.extend<{ core: Andon; shell: { current: WebShell } }>({
  core: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'andon-e2e-live-'))
    const specDir = join(dataDir, 'specs')
    mkdirSync(specDir)
    writeFileSync(join(specDir, 'streaming-output.yaml'), streaming)
    const andon = await createAndon({ dataDir, env: {}, specDirs: [specDir] })
    await use(andon)
    await andon.close()
    rmSync(dataDir, { recursive: true, force: true })
  },
  shell: async ({ core }, use) => {
    const holder = { current: await startWebShell({ andon: core, rendererDir: RENDERER_DIR }) }
    await use(holder)
    await holder.current.close()
  }
})

test('tool output streams into the terminal while the call runs, with its colours', async ({ page, shell }) => {
  await page.goto(shell.current.url)
  await expect(page.getByTestId('connection')).toHaveText('connected')
  await launchExample(page, 'streaming-output')
  const terminal = page.getByTestId('terminal')
  await expect(terminal).toContainText('FAIL first check')
  // The call is still running: the second line is not printed yet.
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-status', 'running')
  await expect(terminal).not.toContainText('second check')
  // xterm's DOM renderer marks ANSI red and green with its palette classes.
  await expect(terminal.locator('span.xterm-fg-1', { hasText: 'FAIL' })).toHaveCount(1)
  await expect(terminal).toContainText('ok   second check', { timeout: 15_000 })
  await expect(terminal.locator('span.xterm-fg-2', { hasText: 'ok' })).toHaveCount(1)
  await expect(terminal.locator('..')).toContainText('Terminal · iteration 1')
})

test('after the server restarts, the page reconnects and resyncs what it missed', async ({ page, core, shell }) => {
  await page.goto(shell.current.url)
  await expect(page.getByTestId('connection')).toHaveText('connected')
  const { port, token } = shell.current
  await shell.current.close()
  await expect(page.getByTestId('connection')).not.toHaveText('connected')
  const fix = (await core.handlers.listSpecs({})).find((s) => s.name === 'fix-the-tests')!
  await core.handlers.launchLoop({ specId: fix.id, overrides: { name: 'born-while-away' } })
  shell.current = await startWebShell({ andon: core, rendererDir: RENDERER_DIR, port, token })
  await expect(page.getByTestId('connection')).toHaveText('connected', { timeout: 15_000 })
  await expect(page.getByTestId('loops-list')).toContainText('born-while-away')
})
