/**
 * Start: the compiled web shell (out/main/web-shell.js, plain Node) spawned as `npm start` runs it,
 * timed from spawn to the printed URL on a store of 1,000,000 events (100,000 under --quick),
 * paired round by round against the same start on an empty store whose schema was created before
 * the timing (the big store's was too, so both time a start). Then the page over loopback in
 * Debian's Chromium: DOMContentLoaded and the first loop row, each round a fresh browser context
 * (nothing cached), paired round by round with a minimal reference page on the same loopback
 * (Chromium's own share of DCL). And the JavaScript the first page loads, raw and gzipped.
 * Needs out/ built (`npx electron-vite build`) and /usr/bin/chromium for the page figures.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import type { LoopEventInput } from '../src/shared/events'
import { migrations } from '../src/main/core/store/migrations'
import { FOLD_VERSION, PROJECTION_VERSION, TraceStore } from '../src/main/core/store/trace-store'
import { expectRatio, fmt, ms, paired, QUICK, ratioRow, row, section, spreadRow, times } from './harness'
import { iterationEvents, storeOnlySpec } from './fixtures'

const ROOT = resolve(__dirname, '..')
const SHELL = join(ROOT, 'out', 'main', 'web-shell.js')
const RENDERER = join(ROOT, 'out', 'renderer')
const CHROMIUM = process.env.ANDON_CHROMIUM ?? '/usr/bin/chromium'
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
const EVENTS = QUICK ? 100_000 : 1_000_000
const LOOPS = 40
const DAY_MS = 86_400_000
/** A start on the big store may take this much longer than on an empty one before --quick fails (target 1.0, factor 2). */
const START_FLOOR = 0.5

const spec = storeOnlySpec


/**
 * A data dir holding `EVENTS` events in 40 finished loops, their commits spread evenly over the two
 * days before the build (so today's spend has per-minute rows to add up at the start). Built once a
 * day (UTC) and kept under the OS temp dir, keyed by the store's schema, fold and projection
 * versions and how the events are spread, so repeated runs reuse it.
 */
export function bigStore(): string {
  const key = `andon-bench-start-${EVENTS}-m${migrations.length}-f${FOLD_VERSION}-p${PROJECTION_VERSION}-spread2d`
  const dir = join(tmpdir(), key)
  const today = new Date().toISOString().slice(0, 10)
  const ready = join(dir, 'ready')
  // A store built on an earlier day has less (or none) of its spend today: build it again.
  if (existsSync(ready) && readFileSync(ready, 'utf8').split(' ')[1] === today) return dir
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const t0 = performance.now()
  // The store stamps each commit (one appendSync) with one clock reading: step it per commit.
  const iterations = Math.floor((EVENTS / LOOPS - 2) / 8)
  const BATCH = 500
  const commits = LOOPS * (Math.ceil(iterations / BATCH) + 2)
  const end = Date.now()
  const step = (2 * DAY_MS) / commits
  let commit = 0
  let at = end - 2 * DAY_MS
  const store = new TraceStore({ path: join(dir, 'andon.db'), clock: () => at })
  const append = (loopId: string, events: LoopEventInput[], expected: number) => {
    at = end - 2 * DAY_MS + ++commit * step
    return store.appendSync(loopId, events, expected).length
  }
  for (let l = 0; l < LOOPS; l++) {
    const loopId = `bench-${l}`
    let v = append(loopId, [{ type: 'LoopCreated', data: { spec } }], 0)
    for (let b = 1; b <= iterations; b += BATCH) {
      const evs = Array.from({ length: Math.min(BATCH, iterations - b + 1) }, (_, k) => iterationEvents(b + k)).flat()
      v += append(loopId, evs, v)
    }
    append(loopId, [{ type: 'Terminated', data: { reason: 'SUCCESS', detail: '', iteration: iterations } }], v)
  }
  const count = store.db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number
  const spentToday = store.spentSince(Date.parse(today))
  const days = store.db.prepare('SELECT COUNT(DISTINCT minute / 1440) FROM spend_minutes').pluck().get() as number
  store.close()
  if (commit !== commits) throw new Error(`the bench store took ${commit} commits, not the ${commits} its clock was spread over`)
  // The start sums today's spend (the daily budget): a store with none today would time nothing of it.
  if (!(spentToday > 0)) throw new Error('the bench store has no spend today: its events are not spread up to now')
  writeFileSync(ready, `${count} ${today}`)
  console.log(
    `(built a store of ${fmt(count)} events in ${dir} in ${((performance.now() - t0) / 1000).toFixed(0)} s, spend on ${days} UTC days, $${spentToday.toFixed(2)} today; runs today reuse it)`
  )
  return dir
}

interface Started {
  ms: number
  url: string
  stop: () => Promise<void>
}

/** Spawn the compiled shell on `dataDir`; resolves at its printed URL with the time since spawn. */
function startShell(dataDir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.ANDON_PORT
  delete env.ANDON_DATA_DIR
  const t0 = performance.now()
  const child = spawn(process.execPath, [SHELL, '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((done) => child.on('exit', () => done()))
  const stop = async () => {
    child.kill('SIGINT')
    await exited
  }
  let output = ''
  return new Promise<Started>((done, fail) => {
    const onData = (d: Buffer) => {
      output += d.toString()
      const m = /control room: (\S+)/.exec(output)
      if (m) {
        child.stdout.off('data', onData)
        done({ ms: performance.now() - t0, url: m[1], stop })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    void exited.then(() => fail(new Error(`the web shell exited before printing its URL:\n${output}`)))
  })
}

async function timeToUrl(dataDir: string): Promise<number> {
  const started = await startShell(dataDir)
  await started.stop()
  return started.ms
}

/** The scripts and preloads index.html names: what the first page parses before it shows anything. */
function initialScripts(): { files: string[]; bytes: number; gzip: number } {
  const html = readFileSync(join(RENDERER, 'index.html'), 'utf8')
  const files = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.\/([^"]+\.js)"/g)].map((m) => m[1])
  let bytes = 0
  let gzip = 0
  for (const f of files) {
    const body = readFileSync(join(RENDERER, f))
    bytes += body.length
    gzip += gzipSync(body).length
  }
  return { files, bytes, gzip }
}

/** Runs in the page before its scripts: notes when the first loop row appears. */
const FIRST_ROW = `new MutationObserver((_, obs) => {
  if (document.querySelector('[data-testid=loop-row]')) { window.__firstRow = performance.now(); obs.disconnect() }
}).observe(document, { childList: true, subtree: true })`

/**
 * The reference page: a minimal HTML page with one tiny module script, served over the same
 * loopback. Its DOMContentLoaded in a fresh context is Chromium's own share (a new context, a
 * renderer process, one request per file) that no change to our JavaScript can remove.
 */
async function referenceServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>ref</title><script type="module" src="/m.js"></script></head><body><div id="root"></div></body></html>'
  const js = "document.getElementById('root').textContent = 'ready'"
  const server = createServer((req, res) => {
    const script = req.url === '/m.js'
    res.writeHead(200, { 'content-type': script ? 'text/javascript' : 'text/html', 'cache-control': 'no-store' })
    res.end(script ? js : html)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((done) => server.close(() => done())) }
}

/** DOMContentLoaded of the control room and of the reference page, paired round by round (order alternating), each a fresh context. */
async function pageLoad(url: string, referenceUrl: string): Promise<{ dcl: number[]; reference: number[]; firstRow: number[] }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  const firstRow: number[] = []
  const dclOf = async (target: string, controlRoom: boolean): Promise<number> => {
    // A fresh context: an empty cache, as a first visit.
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    try {
      const page = await context.newPage()
      if (controlRoom) await page.addInitScript(FIRST_ROW)
      await page.goto(target)
      if (controlRoom) await page.locator('[data-testid=loop-row]').first().waitFor()
      const t = (await page.evaluate(`({ dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd, row: window.__firstRow })`)) as {
        dcl: number
        row: number
      }
      if (controlRoom) firstRow.push(t.row)
      return t.dcl
    } finally {
      await context.close()
    }
  }
  try {
    // One untimed visit of each first: the browser's first context pays one-off start-up costs.
    await dclOf(referenceUrl, false)
    await dclOf(url, true)
    firstRow.length = 0
    const r = await paired(
      () => dclOf(referenceUrl, false),
      () => dclOf(url, true)
    )
    return { dcl: r.subject, reference: r.reference, firstRow }
  } finally {
    await browser.close()
  }
}

export async function startBenchmarks(): Promise<void> {
  section(`Start: the compiled web shell to its printed URL, ${fmt(EVENTS)} events vs an empty store, paired`)
  if (!existsSync(SHELL) || !existsSync(join(RENDERER, 'index.html'))) {
    row('skipped', 'no build', `${SHELL} or the renderer is missing: run \`npx electron-vite build\``)
    return
  }
  const big = bigStore()
  // One start first, untimed: the first open of a fresh store (or after a schema change) does one-off work.
  await timeToUrl(big)
  const r = await paired(
    (empty) => {
      // Migrated before timing, as the big store is: both sides time a start, not the schema's creation.
      new TraceStore({ path: join(empty, 'andon.db') }).close()
      return timeToUrl(empty)
    },
    () => timeToUrl(big)
  )
  spreadRow('URL printed, empty store (migrated beforehand)', r.reference, ms)
  spreadRow(`URL printed, ${fmt(EVENTS)} events (target < 1 s)`, r.subject, ms)
  ratioRow('  big store start / empty store start (speed)', r.ratios)
  expectRatio(`start on ${fmt(EVENTS)} events / on an empty store`, r.ratios, START_FLOOR)

  section('The first page over loopback (Chromium, fresh context each round)')
  const js = initialScripts()
  const xterm = js.files.some((f) => readFileSync(join(RENDERER, f), 'utf8').includes('xterm-helper-textarea'))
  row('initial JavaScript (index.html scripts + preloads)', `${fmt(js.bytes)} B`, `${fmt(js.gzip)} B gzipped, ${js.files.length} files, xterm ${xterm ? 'included' : 'not included'}`)
  if (!existsSync(CHROMIUM)) {
    row('page figures skipped', 'no Chromium', `${CHROMIUM} is missing`)
    return
  }
  const shell = await startShell(big)
  const reference = await referenceServer()
  try {
    const p = await pageLoad(shell.url, reference.url)
    spreadRow('DOMContentLoaded, reference page (one tiny module script)', p.reference, ms)
    spreadRow(`DOMContentLoaded, ${fmt(EVENTS)}-event store (target < 300 ms)`, p.dcl, ms)
    // The control room's DCL as a multiple of Chromium's own share: what our JavaScript adds.
    spreadRow('  control room / reference (DCL, lower is better)', p.dcl.map((d, i) => d / p.reference[i]), times)
    spreadRow('first loop row in the DOM', p.firstRow, ms)
  } finally {
    await reference.close()
    await shell.stop()
  }
}
