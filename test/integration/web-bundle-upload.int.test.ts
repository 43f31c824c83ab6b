/**
 * The web shell's bundle upload (`POST /api/bundles/import`, the file as the raw body), through
 * the real core: guarded like every other API route, refuses what is too large or not a bundle
 * with a clear error, and leaves no uploaded file behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { maxBundleBytes } from '../../src/main/core/bundles/import'
import { startWebShell, type WebShell } from '../../src/main/web/server'
import { sampleLoopEvents } from '../fixtures/bundles/sample-loop'
import { buildBundle, linesOf } from '../support/bundle-builder'
import { tempAndon, tempDir } from '../support/temp-andon'

const TOKEN = 'upload-token-0123456789'
let andon: Awaited<ReturnType<typeof tempAndon>>
let shell: WebShell
let rendererDir: string

beforeAll(async () => {
  andon = await tempAndon({ reconcileOnStart: false })
  rendererDir = tempDir()
  shell = await startWebShell({ andon, rendererDir, token: TOKEN })
})

afterAll(async () => {
  await shell.close()
  await andon.cleanup()
  rmSync(rendererDir, { recursive: true, force: true })
})

interface Sent {
  headers?: Record<string, string>
  body?: Uint8Array
  /** Declare this length and send no body (the server must answer from the headers). */
  declare?: number
}

function upload(opts: Sent = {}): Promise<{ status: number; json: { error?: string; loopIds?: string[] } }> {
  const headers = {
    host: `127.0.0.1:${shell.port}`,
    authorization: `Bearer ${TOKEN}`,
    'content-type': 'application/octet-stream',
    ...(opts.declare !== undefined ? { 'content-length': String(opts.declare) } : {}),
    ...opts.headers
  }
  return new Promise((resolve, reject) => {
    const req = request({ port: shell.port, method: 'POST', path: '/api/bundles/import', headers }, (res) => {
      let text = ''
      res.on('data', (d: Buffer) => (text += d))
      res.on('end', () => {
        req.destroy()
        resolve({ status: res.statusCode!, json: JSON.parse(text) })
      })
    })
    req.on('error', reject)
    if (opts.declare !== undefined) req.flushHeaders()
    else req.end(opts.body ?? new Uint8Array(0))
  })
}

const bundle = buildBundle([{ loopId: 'uploaded', lines: linesOf(sampleLoopEvents()) }])
const uploadsLeft = () => readdirSync(andon.dataDir).filter((f) => f.startsWith('.upload-'))

describe('bundle upload through the web shell', () => {
  it('imports the file read-only and answers like the importBundle command', async () => {
    const res = await upload({ body: bundle })
    expect(res.status).toBe(200)
    expect(res.json.loopIds).toEqual(['uploaded'])
    expect(andon.store.listLoops()).toMatchObject([{ loopId: 'uploaded', readOnly: true }])
    expect(uploadsLeft()).toEqual([])
  })

  it('is guarded like every API route', async () => {
    expect((await upload({ body: bundle, headers: { authorization: 'Bearer wrong' } })).status).toBe(401)
    expect((await upload({ body: bundle, headers: { origin: 'http://evil.example' } })).status).toBe(403)
    expect((await upload({ body: bundle, headers: { host: 'evil.example' } })).status).toBe(421)
    const json = await upload({ body: bundle, headers: { 'content-type': 'application/json' } })
    expect(json.status).toBe(415)
    expect(json.json.error).toMatch(/application\/octet-stream/)
    expect(andon.store.listLoops()).toHaveLength(1)
  })

  it('refuses a bundle over the size limit from its declared length, with a clear error', async () => {
    const res = await upload({ declare: maxBundleBytes() + 1 })
    expect(res.status).toBe(413)
    expect(res.json.error).toBe(`the bundle is over ${maxBundleBytes()} bytes, the largest accepted`)
    expect(uploadsLeft()).toEqual([])
  })

  it('refuses a file that is not a bundle as the sender’s fault (422), and keeps nothing', async () => {
    const res = await upload({ body: new TextEncoder().encode('not a zip at all') })
    expect(res.status).toBe(422)
    expect(res.json.error).toMatch(/not a valid bundle file/)
    expect(andon.store.listLoops()).toHaveLength(1)
    expect(uploadsLeft()).toEqual([])
  })

  it('the JSON command points large bundles to the upload', async () => {
    const big = JSON.stringify({ bytesBase64: 'A'.repeat(9 * 1024 * 1024) })
    const res = await new Promise<{ status: number; error: string }>((resolve, reject) => {
      const req = request(
        {
          port: shell.port,
          method: 'POST',
          path: '/api/importBundle',
          headers: { host: `127.0.0.1:${shell.port}`, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
        },
        (r) => {
          let text = ''
          r.on('data', (d: Buffer) => (text += d))
          r.on('end', () => resolve({ status: r.statusCode!, error: JSON.parse(text).error }))
        }
      )
      req.on('error', reject)
      req.end(big)
    })
    expect(res.status).toBe(413)
    expect(res.error).toMatch(/upload a large bundle to \/api\/bundles\/import as application\/octet-stream/)
  })
})
