/**
 * Opening a big loop: from the click in the loop list to its first iteration rows painted in
 * Chromium through the web shell, a loop of 100,000 iterations (10,000 under --quick) paired round
 * by round with a loop of 10 as the reference; and getLoop alone for the same two loops, and
 * against reading every row of the big loop as getLoop did before it was paged.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { createAndon } from '../src/main/core/create-andon'
import { startWebShell } from '../src/main/web/server'
import { ITERATION_PAGE } from '../src/shared/iterations'
import { writeBigLoop } from '../test/support/big-loop'
import { expectRatio, ms, paired, QUICK, ratioRow, section, spreadRow, time } from './harness'

const CHROMIUM = process.env.ANDON_CHROMIUM ?? '/usr/bin/chromium'
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
const BIG = QUICK ? 10_000 : 100_000
const SMALL = 10
/** getLoop calls per round (each round's figure is their median). */
const CALLS = QUICK ? 5 : 20

/**
 * A fresh page with the loop list drawn; then ms from the click on `loopId` to the frame after
 * its newest iteration row is in the DOM (measured in the page, on the page's clock).
 */
async function openMs(page: Page, url: string, loopId: string, newest: number): Promise<number> {
  await page.goto(url)
  const row = page.locator(`[data-testid=loop-row][data-loop-id="${loopId}"]`)
  await row.waitFor()
  // No function is given a name inside: the bundler would wrap it in a helper the page does not have.
  return row.evaluate(async (el, n) => {
    const t0 = performance.now()
    ;(el as HTMLElement).click()
    while (!document.querySelector(`[data-testid=iteration-row][data-iteration="${n}"]`)) await new Promise((r) => requestAnimationFrame(r))
    await new Promise((r) => requestAnimationFrame(r))
    return performance.now() - t0
  }, newest)
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

export async function openBenchmarks(): Promise<void> {
  section(`Open a loop (${BIG.toLocaleString('en-US')} iterations vs ${SMALL}; web shell → Chromium)`)
  const dataDir = mkdtempSync(join(tmpdir(), 'andon-bench-open-'))
  const andon = await createAndon({ dataDir, env: {} })
  const shell = await startWebShell({ andon, rendererDir: resolve('out/renderer') })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  try {
    await writeBigLoop(andon.store, 'open-small', SMALL)
    await writeBigLoop(andon.store, 'open-page', ITERATION_PAGE)
    await writeBigLoop(andon.store, 'open-big', BIG)
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    // One untimed open of each: the first load of the renderer's code is not what is measured.
    await openMs(page, shell.url, 'open-small', SMALL)
    await openMs(page, shell.url, 'open-big', BIG)

    const opened = await paired(
      () => openMs(page, shell.url, 'open-small', SMALL),
      () => openMs(page, shell.url, 'open-big', BIG)
    )
    spreadRow(`click → first rows painted, ${SMALL}-iteration loop`, opened.reference, ms)
    spreadRow(`click → first rows painted, ${BIG.toLocaleString('en-US')}-iteration loop (target < 300 ms)`, opened.subject, ms)
    ratioRow(`  the big loop's open as a fraction of the small one's speed`, opened.ratios)
    // Paged, the big loop sends what the small one does; 0.8 leaves room for its bigger state, ÷ 2 for busy cores.
    expectRatio('open a big loop vs a small one', opened.ratios, 0.4)

    const getLoopMs = (loopId: string) => async () => {
      const each: number[] = []
      for (let i = 0; i < CALLS; i++) each.push((await time(() => andon.handlers.getLoop({ loopId }))).ms)
      return medianOf(each)
    }
    const handler = await paired(getLoopMs('open-small'), getLoopMs('open-big'))
    spreadRow(`getLoop, ${SMALL}-iteration loop (median of ${CALLS} calls per round)`, handler.reference, ms)
    spreadRow(`getLoop, ${BIG.toLocaleString('en-US')}-iteration loop`, handler.subject, ms)
    ratioRow(`  the big loop's getLoop vs the small one's (200 rows sent vs 10)`, handler.ratios)
    // Against a loop of exactly one page both send 200 rows: paged, getLoop does not grow with the loop (target 1, ÷ 2 for busy cores).
    const onePage = await paired(getLoopMs('open-page'), getLoopMs('open-big'))
    spreadRow(`getLoop, ${ITERATION_PAGE}-iteration loop (one page)`, onePage.reference, ms)
    ratioRow(`  the big loop's getLoop as a fraction of the one-page loop's speed`, onePage.ratios)
    expectRatio('getLoop of a big loop vs a one-page loop', onePage.ratios, 0.5)

    // Before paging, getLoop read every row: that read alone, against today's whole getLoop.
    const everyRow = async () => (await time(() => andon.store.iterationRows('open-big'))).ms
    const before = await paired(everyRow, getLoopMs('open-big'))
    spreadRow(`  reading every row of the ${BIG.toLocaleString('en-US')}-iteration loop (what getLoop did)`, before.reference, ms)
    ratioRow(`  getLoop paged vs every row: times faster`, before.ratios)
  } finally {
    await browser.close()
    await shell.close()
    await andon.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
