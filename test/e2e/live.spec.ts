/**
 * Live plumbing with a synthetic core behind the real web shell: tool output streams into the
 * terminal as it is pushed (ANSI colours kept), and after the server goes away and comes back the
 * page reconnects and resyncs what it missed.
 */
import { test as base, expect } from '@playwright/test'
import { resolve } from 'node:path'
import { startWebShell } from '../../src/main/web/server'
import type { WebShell } from '../../src/main/web/server'
import { createSyntheticCore } from './synthetic-core'

const RENDERER_DIR = resolve(__dirname, '../../out/renderer')

const test = base.extend<{ core: ReturnType<typeof createSyntheticCore>; shell: { current: WebShell } }>({
  core: async ({}, use) => use(createSyntheticCore({ loops: 3, iterations: 20 })),
  shell: async ({ core }, use) => {
    const holder = { current: await startWebShell({ andon: core.andon, rendererDir: RENDERER_DIR }) }
    await use(holder)
    await holder.current.close()
  }
})

test('pushed tool output streams into the terminal with its colours', async ({ page, core, shell }) => {
  await page.goto(shell.current.url)
  await page.locator(`[data-testid="loop-row"][data-loop-id="${core.bigId}"]`).click()
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-rows', '20')
  core.pushIteration()
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-rows', '21')
  core.pushOutput('\x1b[31mFAIL\x1b[0m first check\n')
  core.pushOutput('\x1b[32mok\x1b[0m   second check\n')
  const terminal = page.getByTestId('terminal')
  await expect(terminal).toContainText('FAIL first check')
  await expect(terminal).toContainText('ok   second check')
  // xterm's DOM renderer marks ANSI red and green with its palette classes.
  await expect(terminal.locator('span.xterm-fg-1', { hasText: 'FAIL' })).toHaveCount(1)
  await expect(terminal.locator('span.xterm-fg-2', { hasText: 'ok' })).toHaveCount(1)
  await expect(page.getByTestId('terminal').locator('..')).toContainText('Terminal · iteration 21')
})

test('after the server restarts, the page reconnects and resyncs what it missed', async ({ page, core, shell }) => {
  await page.goto(shell.current.url)
  await expect(page.getByTestId('connection')).toHaveText('connected')
  const { port, token } = shell.current
  await shell.current.close()
  await expect(page.getByTestId('connection')).not.toHaveText('connected')
  core.addLoopQuietly('born-while-away')
  shell.current = await startWebShell({ andon: core.andon, rendererDir: RENDERER_DIR, port, token })
  await expect(page.getByTestId('connection')).toHaveText('connected', { timeout: 15_000 })
  await expect(page.getByTestId('loops-list')).toContainText('born-while-away')
})
