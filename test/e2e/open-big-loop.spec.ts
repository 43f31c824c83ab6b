/**
 * Opening a loop of thousands of iterations through the real core and web shell: the newest rows
 * come with the loop, older pages are fetched as the list scrolls to them, and the DOM only ever
 * holds a window of rows.
 */
import { test, expect } from './fixtures'
import { writeBigLoop } from '../support/big-loop'

const ITERATIONS = 4_000
const LOOP = 'big-history'

test('a loop of 4,000 iterations opens on its newest rows and fetches older pages as the operator moves to them', async ({ page, served }) => {
  await writeBigLoop(served.andon.store, LOOP, ITERATIONS)
  const fetched: { from: number; to: number }[] = []
  page.on('request', (req) => {
    if (req.url().endsWith('/api/getIterations')) {
      const body = req.postDataJSON() as { fromIteration: number; toIteration: number }
      fetched.push({ from: body.fromIteration, to: body.toIteration })
    }
  })
  await page.goto(served.shell.url)
  // The page records the most iteration rows the DOM ever held, from here on.
  await page.evaluate(() => {
    const w = window as unknown as { __mostRows: number }
    w.__mostRows = 0
    new MutationObserver(() => {
      w.__mostRows = Math.max(w.__mostRows, document.querySelectorAll('[data-testid=iteration-row], [data-testid=iteration-placeholder]').length)
    }).observe(document.body, { childList: true, subtree: true })
  })
  await page.locator(`[data-testid="loop-row"][data-loop-id="${LOOP}"]`).click()

  const timeline = page.getByTestId('timeline')
  await expect(timeline).toHaveAttribute('data-rows', String(ITERATIONS))
  await expect(timeline).toHaveAttribute('aria-rowcount', String(ITERATIONS + 1))
  const newest = page.locator(`[data-testid="iteration-row"][data-iteration="${ITERATIONS}"]`)
  await expect(newest).toBeVisible()
  // The newest rows came with the loop: nothing was fetched to show them.
  expect(fetched).toEqual([])

  // Home: iteration 1 is a placeholder until its page arrives, then its row.
  await newest.click()
  await page.keyboard.press('Home')
  const firstRow = page.locator('[data-testid="iteration-row"][data-iteration="1"]')
  await expect(firstRow).toBeVisible()
  await expect(firstRow).toContainText('step 1')
  expect(fetched).toContainEqual({ from: 1, to: 200 })
  // Enter opens it below, its events read from the store.
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-testid="iteration-detail"][data-iteration="1"]').getByTestId('decision-rationale')).toHaveText('because of step 1')

  // Scrolled through end to end: each page is asked for at most once at a time, and the DOM stays a window.
  await page.getByTestId('timeline-scroll').evaluate(async (el) => {
    const max = el.scrollHeight - el.clientHeight
    for (let i = 1; i <= 40; i++) {
      el.scrollTop = (max * i) / 40
      await new Promise((r) => setTimeout(r, 60))
    }
  })
  await page.keyboard.press('End')
  await expect(newest).toBeVisible()
  const pages = fetched.map((f) => f.from)
  expect(pages.length).toBeLessThanOrEqual(ITERATIONS / 200)
  expect(new Set(pages).size).toBeGreaterThan(5)
  const mostRows = await page.evaluate(() => (window as unknown as { __mostRows: number }).__mostRows)
  expect(mostRows).toBeGreaterThan(10)
  expect(mostRows).toBeLessThan(100)

  // Time travel jumps to an iteration whose row is not held: it is fetched.
  await page.getByTestId('loop-tab-travel').click()
  await page.getByTestId('travel-iteration').fill('7')
  await page.getByTestId('travel-jump').click()
  await expect(page.getByTestId('travel-state-iteration')).toHaveText('7')
})
