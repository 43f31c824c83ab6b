/**
 * Event-to-screen latency: from an append in the core to the iteration row being in the DOM
 * of Debian's Chromium, through the real web shell (HTTP + WebSocket), p50/p95 over 1,000
 * events; and frame times while scrolling a loop of 100,000 iterations. Needs a built renderer
 * (`npm run build`) and /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import type { LoopEventInput } from '../src/shared/events'
import { LoopSpecSchema } from '../src/shared/spec'
import { createAndon } from '../src/main/core/create-andon'
import { startWebShell } from '../src/main/web/server'
import { row, section } from './harness'

const CHROMIUM = process.env.ANDON_CHROMIUM ?? '/usr/bin/chromium'
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]

function iteration(i: number): LoopEventInput[] {
  const action = { tool: 'read_file', args: { path: 'a.txt' } }
  return [
    { type: 'IterationStarted', data: { iteration: i } },
    { type: 'DecisionMade', data: { iteration: i, policy: 'rules', action, subgoal: `step ${i}`, confidence: 0.9, usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.001 }, latencyMs: 3 } },
    { type: 'Observed', data: { iteration: i, observation: { tool: 'read_file', ok: true, summary: `read ${i}` }, progress: true } },
    { type: 'InvariantChecked', data: { iteration: i, results: [{ name: 'progress', ok: true }] } }
  ]
}

async function openLoop(page: Page, url: string, loopId: string): Promise<void> {
  await page.goto(url)
  await page.locator(`[data-testid=loop-row][data-loop-id="${loopId}"]`).click()
  await page.locator('[data-testid=timeline]').waitFor()
}

export async function screenBenchmarks(): Promise<void> {
  section('Event to screen (web shell → Chromium) and scrolling')
  const rendererDir = resolve('out/renderer')
  if (!existsSync(join(rendererDir, 'index.html')) || !existsSync(CHROMIUM)) {
    row('skipped', 'needs `npm run build` and /usr/bin/chromium')
    return
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'andon-bench-screen-'))
  const andon = await createAndon({ dataDir, env: {} })
  const shell = await startWebShell({ andon, rendererDir })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  try {
    const spec = LoopSpecSchema.parse({ name: 'latency', task: 'bench', policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] }, invariants: { maxIterations: 1_000_000 } })
    const loopId = 'bench-latency'
    await andon.store.append(loopId, [{ type: 'LoopCreated', data: { spec } }, { type: 'Started', data: {} }], 0)
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await openLoop(page, shell.url, loopId)
    // The page notes when each row first appears, on the same clock the core uses.
    await page.evaluate(() => {
      const seen: Record<number, number> = {}
      ;(window as unknown as { __seen: typeof seen }).__seen = seen
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid=iteration-row]')) {
          const i = Number((el as HTMLElement).dataset.iteration)
          if (!seen[i]) seen[i] = performance.timeOrigin + performance.now()
        }
      }).observe(document.body, { childList: true, subtree: true })
    })
    const N = 1000
    const appendedAt: number[] = []
    let version = 2
    for (let i = 1; i <= N; i++) {
      const events = iteration(i)
      appendedAt[i] = performance.timeOrigin + performance.now()
      await andon.store.append(loopId, events, version)
      version += events.length
      // A loop's pace, not a flood: the next iteration after this one is on screen (or 200 ms).
      await page.waitForFunction((n) => Boolean((window as unknown as { __seen: Record<number, number> }).__seen[n]), i, { timeout: 200 }).catch(() => undefined)
    }
    const seen = await page.evaluate(() => (window as unknown as { __seen: Record<number, number> }).__seen)
    const lat = Array.from({ length: N }, (_, k) => k + 1).filter((i) => seen[i]).map((i) => seen[i] - appendedAt[i])
    row(`append → row in the DOM, ${lat.length} of ${N} iterations seen`, `p50 ${pct(lat, 50).toFixed(1)} ms`, `p95 ${pct(lat, 95).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms`)

    // Scrolling: a loop of 100,000 iterations written straight to the store.
    const big = 'bench-scroll'
    await andon.store.append(big, [{ type: 'LoopCreated', data: { spec: { ...spec, name: 'scroll' } } }], 0)
    let v = 1
    for (let b = 1; b <= 100_000; b += 2000) {
      const events = Array.from({ length: 2000 }, (_, k) => iteration(b + k)).flat()
      andon.store.appendSync(big, events, v)
      v += events.length
    }
    await openLoop(page, shell.url, big)
    await page.locator('[data-testid=iteration-row]').first().waitFor()
    // A string, so the bundler's helpers never reach the page.
    const frames = (await page.evaluate(`(async () => {
      const el = document.querySelector('[data-testid=timeline-scroll]')
      el.scrollTop = 0
      const times = []
      let last = performance.now()
      const end = last + 3000
      await new Promise((done) => {
        function step(t) {
          times.push(t - last)
          last = t
          el.scrollTop += 1800 // ~65 rows a frame: a fast fling through the loop
          if (t < end) requestAnimationFrame(step)
          else done()
        }
        requestAnimationFrame(step)
      })
      return { times: times.slice(1), rowsInDom: document.querySelectorAll('[data-testid=iteration-row]').length, top: el.scrollTop }
    })()`)) as { times: number[]; rowsInDom: number; top: number }
    row('frame time scrolling 100,000 iterations (3 s fling)', `p50 ${pct(frames.times, 50).toFixed(1)} ms`, `p95 ${pct(frames.times, 95).toFixed(1)} ms, ${frames.rowsInDom} rows in the DOM`)
  } finally {
    await browser.close()
    await shell.close()
    await andon.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
