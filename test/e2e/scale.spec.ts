/**
 * Scale: 10,000 loops in the list and a loop with 100,000 iterations, through the real web shell
 * with a synthetic core. Lists stay virtualized while scrolled end to end and searched; huge tool
 * output is capped in the terminal with a visible marker.
 */
import { test as base, expect } from '@playwright/test'
import type { Locator } from '@playwright/test'
import { resolve } from 'node:path'
import { startWebShell } from '../../src/main/web/server'
import { createSyntheticCore, HUGE_OUTPUT_ITERATION } from './synthetic-core'

const LOOPS = 10_000
const ITERATIONS = 100_000

const test = base.extend<{ synthetic: ReturnType<typeof createSyntheticCore> & { url: string } }>({
  synthetic: async ({}, use) => {
    const core = createSyntheticCore({ loops: LOOPS, iterations: ITERATIONS })
    const shell = await startWebShell({ andon: core.andon, rendererDir: resolve(__dirname, '../../out/renderer') })
    await use({ ...core, url: shell.url })
    await shell.close()
  }
})

/** Scroll an element through its whole height, one jump per frame, as a dragged scrollbar does. */
async function scrollThrough(scroller: Locator, steps: number): Promise<void> {
  await scroller.evaluate(async (el, n) => {
    const max = el.scrollHeight - el.clientHeight
    for (let i = 1; i <= n; i++) {
      el.scrollTop = (max * i) / n
      await new Promise((r) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => r(null)))
    }
  }, steps)
}

// Frame times are measured by `npm run bench -- screen`, not asserted here.
test('thousands of loops and 100,000 iterations stay virtualized when scrolled end to end', async ({ page, synthetic }) => {
  await page.goto(synthetic.url)
  await expect(page.getByTestId('loops-list')).toContainText(`Loops (${LOOPS + 1})`)
  expect(await page.getByTestId('loop-row').count()).toBeLessThan(60)
  const loopsScroller = page.locator('[data-testid="loops-list"] .scroll')
  await scrollThrough(loopsScroller, 60)
  expect(await page.getByTestId('loop-row').count()).toBeLessThan(60)
  // The big loop is the newest: back at the top of the list.
  await loopsScroller.evaluate((el) => (el.scrollTop = 0))
  await page.locator(`[data-testid="loop-row"][data-loop-id="${synthetic.bigId}"]`).click()

  // A search narrows the 10,000 loops as it is typed, and clearing it brings them back.
  const search = page.getByTestId('loops-search')
  await search.pressSequentially('number 4242')
  await expect(page.getByTestId('loops-count')).toHaveText(`Loops (1 of ${LOOPS + 1})`)
  await expect(page.getByTestId('loop-row')).toHaveCount(1)
  await expect(page.getByTestId('loop-row')).toContainText('loop number 4242')
  await search.fill('number 42')
  // 42, 142 … 9942, 420–429, 4200–4299 and the rest that hold "42": counted, and still only a window drawn.
  const expected = Array.from({ length: LOOPS }, (_, i) => `loop number ${i}`).filter((n) => n.includes('42')).length
  await expect(page.getByTestId('loops-count')).toHaveText(`Loops (${expected} of ${LOOPS + 1})`)
  expect(await page.getByTestId('loop-row').count()).toBeLessThan(60)
  await search.fill('')
  await expect(page.getByTestId('loops-count')).toHaveText(`Loops (${LOOPS + 1})`)

  const timeline = page.getByTestId('timeline')
  await expect(timeline).toHaveAttribute('data-rows', String(ITERATIONS))
  expect(await page.getByTestId('iteration-row').count()).toBeLessThan(100)
  await scrollThrough(page.getByTestId('timeline-scroll'), 120)
  // At the end of the fling the last rows are on screen and the DOM is still a window of rows.
  await expect(page.locator(`[data-testid="iteration-row"][data-iteration="${ITERATIONS}"]`)).toBeVisible()
  expect(await page.getByTestId('iteration-row').count()).toBeLessThan(100)

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
