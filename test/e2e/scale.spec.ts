/**
 * Scale: 5,000 loops in the list and a loop with 100,000 iterations, through the real web shell
 * with a synthetic core. Lists stay virtualized and scrolling stays smooth; huge tool output is
 * capped in the terminal with a visible marker.
 */
import { test as base, expect } from '@playwright/test'
import type { Locator } from '@playwright/test'
import { resolve } from 'node:path'
import { startWebShell } from '../../src/main/web/server'
import { createSyntheticCore, HUGE_OUTPUT_ITERATION } from './synthetic-core'

const LOOPS = 5000
const ITERATIONS = 100_000

const test = base.extend<{ synthetic: ReturnType<typeof createSyntheticCore> & { url: string } }>({
  synthetic: async ({}, use) => {
    const core = createSyntheticCore({ loops: LOOPS, iterations: ITERATIONS })
    const shell = await startWebShell({ andon: core.andon, rendererDir: resolve(__dirname, '../../out/renderer') })
    await use({ ...core, url: shell.url })
    await shell.close()
  }
})

/** Scroll an element step by step, one step per frame; returns frame times in ms. */
async function scrollFrames(scroller: Locator, steps: number): Promise<number[]> {
  return scroller.evaluate(async (el, n) => {
    const times: number[] = []
    let last = performance.now()
    const max = el.scrollHeight - el.clientHeight
    for (let i = 1; i <= n; i++) {
      // Big jumps, as a dragged scrollbar makes: every frame lands on rows never rendered before.
      el.scrollTop = (max * i) / n
      await new Promise((r) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => r(null)))
      const now = performance.now()
      times.push(now - last)
      last = now
    }
    return times
  }, steps)
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]

test('thousands of loops and 100,000 iterations stay virtualized and scroll smoothly', async ({ page, synthetic }) => {
  await page.goto(synthetic.url)
  await expect(page.getByTestId('loops-list')).toContainText(`Loops (${LOOPS + 1})`)
  expect(await page.getByTestId('loop-row').count()).toBeLessThan(60)
  const loopsScroller = page.locator('[data-testid="loops-list"] .scroll')
  const listFrames = await scrollFrames(loopsScroller, 60)
  // The big loop is the newest: back at the top of the list.
  await loopsScroller.evaluate((el) => (el.scrollTop = 0))
  await page.locator(`[data-testid="loop-row"][data-loop-id="${synthetic.bigId}"]`).click()
  const timeline = page.getByTestId('timeline')
  await expect(timeline).toHaveAttribute('data-rows', String(ITERATIONS))
  expect(await page.getByTestId('iteration-row').count()).toBeLessThan(100)
  const timelineFrames = await scrollFrames(page.getByTestId('timeline-scroll'), 120)
  console.log(
    `loops list (${LOOPS}): p95 frame ${p95(listFrames).toFixed(1)} ms; timeline (${ITERATIONS} rows): p95 frame ${p95(timelineFrames).toFixed(1)} ms, max ${Math.max(...timelineFrames).toFixed(1)} ms`
  )
  // Generous on a shared 2-core machine; an unvirtualized list takes seconds per frame here.
  expect(p95(timelineFrames)).toBeLessThan(100)
  expect(p95(listFrames)).toBeLessThan(100)

  // Live pushes still fold into the 100,000 rows.
  synthetic.pushIteration()
  synthetic.pushIteration()
  await expect(timeline).toHaveAttribute('data-rows', String(ITERATIONS + 2))
  await expect(page.getByTestId('loop-iteration')).toHaveText(`iteration ${ITERATIONS + 2}`)
})

test('a huge tool output is capped in the terminal with a visible marker', async ({ page, synthetic }) => {
  await page.goto(synthetic.url)
  await page.locator('[data-testid="loops-list"] .scroll').evaluate((el) => (el.scrollTop = 0))
  await page.locator(`[data-testid="loop-row"][data-loop-id="${synthetic.bigId}"]`).click()
  await page.getByTestId('timeline-scroll').evaluate((el) => (el.scrollTop = 0))
  await page.locator(`[data-testid="iteration-row"][data-iteration="${HUGE_OUTPUT_ITERATION}"]`).click()
  await expect(page.getByTestId('terminal-capped')).toBeVisible()
  await expect(page.getByTestId('terminal')).toContainText('output capped')
  const bytes = Number(await page.getByTestId('terminal-bytes').getAttribute('data-bytes'))
  expect(bytes).toBe(512 * 1024)
  await page.screenshot({ path: 'test-results/terminal-capped.png' })
})
