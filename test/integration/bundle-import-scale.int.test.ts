/**
 * A large bundle (about 40 MB, 225 MB of events): imported in a process of its own with its
 * peak memory measured, and through the real web shell while other requests keep being
 * answered. Figures are printed for the record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startWebShell } from '../../src/main/web/server'
import { tempAndon } from '../support/temp-andon'
import { writeLargeBundle, type LargeBundle } from '../support/large-bundle'

/** What the import may use at its peak, whatever the bundle's size. */
const RSS_CEILING_MB = 300
/**
 * How long a cheap request may take while an import runs: 99 in 100 under 100 ms, and none
 * anywhere near a chunk-sized stall. On a two-core machine shared with other work the scheduler
 * alone pauses even an idle process for 200-300 ms now and then, so the worst case is bounded
 * loosely; a reader that blocked this thread would stall requests for seconds.
 */
const LATENCY_P99_MS = 100
const LATENCY_MAX_MS = 1000

let dir: string
let bundle: LargeBundle

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'andon-scale-'))
  bundle = writeLargeBundle(join(dir, 'large.andon'), { loops: 2, iterationsPerLoop: 6000, outputChars: 8000, randomEvery: 60 })
}, 60_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function runChild(dataDir: string, file: string): Promise<{ loopIds?: string[]; error?: string; ms: number; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/import-child.ts', dataDir, file], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout!.on('data', (d: Buffer) => (out += d))
    child.on('error', reject)
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!))
      } catch {
        reject(new Error(`the import child printed: ${out}`))
      }
    })
  })
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]

describe('importing a large bundle', () => {
  it(`stays under ${RSS_CEILING_MB} MB of memory`, async () => {
    expect(bundle.bytes).toBeGreaterThan(30e6)
    expect(bundle.eventBytes).toBeGreaterThan(200e6)
    const dataDir = join(dir, 'child')
    mkdirSync(dataDir)
    const r = await runChild(dataDir, bundle.path)
    console.log(
      `[scale] import of ${(bundle.bytes / 1e6).toFixed(1)} MB (${(bundle.eventBytes / 1e6).toFixed(0)} MB, ${bundle.events} events): ` +
        `${(r.ms / 1000).toFixed(1)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB`
    )
    expect(r.error).toBeUndefined()
    expect(r.loopIds).toEqual(bundle.loopIds)
    expect(r.peakRssMb).toBeLessThan(RSS_CEILING_MB)
  }, 120_000)

  it(`through the web shell, other requests are answered in under ${LATENCY_P99_MS} ms meanwhile`, async () => {
    const andon = await tempAndon({ reconcileOnStart: false })
    const shell = await startWebShell({ andon, rendererDir: dir, token: 'scale-token' })
    const headers = { authorization: 'Bearer scale-token', host: `127.0.0.1:${shell.port}` }
    const post = (path: string, type: string, body: (req: ReturnType<typeof request>) => void) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ port: shell.port, method: 'POST', path, headers: { ...headers, 'content-type': type } }, (res) => {
          let text = ''
          res.on('data', (d: Buffer) => (text += d))
          res.on('end', () => resolve({ status: res.statusCode!, body: text }))
        })
        req.on('error', reject)
        body(req)
      })
    try {
      let done = false
      const upload = post('/api/bundles/import', 'application/octet-stream', (req) => createReadStream(bundle.path).pipe(req)).finally(() => (done = true))
      const rtts: number[] = []
      const listings = new Set<string>()
      while (!done) {
        const t0 = performance.now()
        const res = await post('/api/listLoops', 'application/json', (req) => req.end('{}'))
        rtts.push(performance.now() - t0)
        expect(res.status).toBe(200)
        listings.add(JSON.stringify((JSON.parse(res.body) as { version: number }[]).map((l) => l.version)))
        await new Promise((r) => setTimeout(r, 10))
      }
      const result = await upload
      expect(result.status).toBe(200)
      expect(JSON.parse(result.body).loopIds).toEqual(bundle.loopIds)
      // Every listing showed none of the bundle's loops, or all of them with every event: never a part.
      const whole = JSON.stringify([bundle.events / 2, bundle.events / 2])
      expect([...listings].filter((l) => l !== '[]' && l !== whole)).toEqual([])
      expect(listings).toContain('[]')
      expect(andon.store.listLoops()).toHaveLength(2)
      expect(andon.store.streamVersion(bundle.loopIds[1])).toBe(bundle.events / 2)
      // The upload went to a file beside the database, and is gone.
      expect(readdirSync(andon.dataDir).filter((f) => f.startsWith('.upload-'))).toEqual([])
      const sorted = [...rtts].sort((a, b) => a - b)
      console.log(
        `[scale] ${rtts.length} listLoops round trips during the web import: ` +
          `median ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`
      )
      expect(rtts.length).toBeGreaterThan(100)
      expect(percentile(sorted, 0.99)).toBeLessThan(LATENCY_P99_MS)
      expect(sorted.at(-1)).toBeLessThan(LATENCY_MAX_MS)
    } finally {
      await shell.close()
      await andon.cleanup()
    }
  }, 120_000)
})
