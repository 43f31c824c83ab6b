// Fetching the Electron binary with the real @electron/get over HTTP from a mirror on 127.0.0.1
// (ELECTRON_MIRROR), into a temporary electron package folder: progress, checksum, unpacking,
// and each way a fetch fails. The zip holds a stand-in `electron` script, so launching it is cheap.
import { createHash, randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { strToU8, zipSync } from 'fflate'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { ensureElectron } from '../../scripts/desktop/electron-fetch.mjs'

const root = resolve(__dirname, '../..')
const version = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version
const zipName = `electron-v${version}-linux-x64.zip`
const EXECUTABLE = (0o100755 << 16) >>> 0
// 3 MB of payload, so the download arrives in many chunks and reports progress along the way.
const zip = zipSync({
  electron: [strToU8('#!/bin/sh\necho "stand-in electron $@"\n'), { os: 3, attrs: EXECUTABLE }],
  'resources.pak': [randomBytes(3_000_000), { level: 0 }],
  version: strToU8(`v${version}`)
})
const sha = createHash('sha256').update(zip).digest('hex')

let work: string
let server: Server
let mirror: string
const requests: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    if (req.url === `/v${version}/${zipName}`) res.writeHead(200, { 'content-length': zip.length }).end(Buffer.from(zip))
    else if (req.url === `/v${version}/SHASUMS256.txt`) res.end(`${sha} *${zipName}\n`)
    else res.writeHead(404).end('not here')
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

let electronDir: string
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'andon-electron-fetch-'))
  // An electron package as npm installs it with ELECTRON_SKIP_BINARY_DOWNLOAD: no dist/, no path.txt.
  electronDir = join(work, 'electron')
  mkdirSync(electronDir)
  for (const file of ['package.json', 'checksums.json']) copyFileSync(join(root, 'node_modules/electron', file), join(electronDir, file))
  vi.stubEnv('ELECTRON_MIRROR', mirror)
  vi.stubEnv('electron_config_cache', join(work, 'cache'))
  vi.stubEnv('ELECTRON_SKIP_BINARY_DOWNLOAD', '')
  vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', '')
  requests.length = 0
})
afterEach(() => {
  vi.unstubAllEnvs()
  rmSync(work, { recursive: true, force: true })
})

function terminal() {
  let text = ''
  return { out: { write: (chunk: string) => (text += chunk), isTTY: false }, text: () => text }
}

const fetchLinux = (out = terminal().out) => ensureElectron({ electronDir, out, platform: 'linux', arch: 'x64' })

describe('fetching the Electron binary', () => {
  it('downloads with progress, checks the checksum, unpacks, and the binary runs; the next start fetches nothing', async () => {
    vi.stubEnv('electron_use_remote_checksums', '1')
    // Left by a start that was interrupted while unpacking (its process is gone), and one being unpacked right now by a live one.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid
    mkdirSync(join(electronDir, `dist.partial-${gone}`))
    mkdirSync(join(electronDir, `dist.partial-${process.ppid}`))
    const term = terminal()
    const result = await fetchLinux(term.out)

    expect(result).toEqual({ ok: true, exe: join(electronDir, 'dist', 'electron'), fetched: true })
    expect(term.text()).toContain(`Fetching Electron ${version} for linux-x64 from 127.0.0.1:`)
    expect(term.text()).toMatch(/: 100% of 3 MB\n/)
    expect(term.text()).toContain(`Installed Electron ${version} for linux-x64.`)
    expect(requests).toEqual([`/v${version}/${zipName}`, `/v${version}/SHASUMS256.txt`])
    expect(readFileSync(join(electronDir, 'path.txt'), 'utf8')).toBe('electron')
    expect(readdirSync(electronDir).filter((f) => f.startsWith('dist.partial'))).toEqual([`dist.partial-${process.ppid}`])
    const launched = spawnSync((result as { exe: string }).exe, ['.'], { encoding: 'utf8' })
    expect(launched.stdout.trim()).toBe('stand-in electron .')

    requests.length = 0
    expect(await fetchLinux()).toEqual({ ok: true, exe: join(electronDir, 'dist', 'electron'), fetched: false })
    expect(requests).toEqual([])
  })

  it("refuses a download that does not match Electron's pinned checksum and installs nothing", async () => {
    const result = await fetchLinux()
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason).toMatch(new RegExp(`^fetching Electron ${version} for linux-x64 from 127\\.0\\.0\\.1:\\d+ failed: the download did not match Electron's published checksum; set ELECTRON_MIRROR`))
    expect(existsSync(join(electronDir, 'path.txt'))).toBe(false)
    expect(existsSync(join(electronDir, 'dist'))).toBe(false)
  })

  it('names the HTTP status when the mirror does not have the release', async () => {
    vi.stubEnv('ELECTRON_MIRROR', `${mirror}elsewhere/`)
    const result = await fetchLinux()
    expect(!result.ok && result.reason).toMatch(/failed: 127\.0\.0\.1:\d+ answered HTTP 404; set ELECTRON_MIRROR to a mirror you can reach, or run `npx install-electron`/)
  })

  it('says the mirror refused the connection', async () => {
    const closed = createServer()
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((ok) => closed.close(() => ok()))
    vi.stubEnv('ELECTRON_MIRROR', `http://127.0.0.1:${port}/`)
    const result = await fetchLinux()
    expect(!result.ok && result.reason).toContain(`from 127.0.0.1:${port} failed: 127.0.0.1:${port} refused the connection`)
  })

  it('gives up on a mirror that never answers after ANDON_ELECTRON_CONNECT_TIMEOUT seconds', async () => {
    const silent = createServer(() => undefined)
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok))
    vi.stubEnv('ELECTRON_MIRROR', `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`)
    vi.stubEnv('ANDON_ELECTRON_CONNECT_TIMEOUT', '1')
    try {
      const result = await fetchLinux()
      expect(!result.ok && result.reason).toContain('failed: no answer within 1 s (on a slow network, ANDON_ELECTRON_CONNECT_TIMEOUT=15 waits longer)')
    } finally {
      silent.closeAllConnections()
      await new Promise<void>((ok) => silent.close(() => ok()))
    }
  })

  it('does not fetch when ELECTRON_SKIP_BINARY_DOWNLOAD is set', async () => {
    vi.stubEnv('ELECTRON_SKIP_BINARY_DOWNLOAD', '1')
    const result = await fetchLinux()
    expect(!result.ok && result.reason).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD is set/)
    expect(requests).toEqual([])
  })
})
