// better-sqlite3 for Electron's ABI, fetched as a prebuilt binary with the real prebuild-install
// from a host on 127.0.0.1 (npm_config_better_sqlite3_binary_host), into a temporary folder; and,
// when there is none and Electron's headers cannot be fetched either, one line saying so.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { buildElectronNative } from '../../scripts/desktop/electron-native.mjs'

const root = resolve(__dirname, '../..')
const sqliteVersion = (JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string }).version
const ELECTRON = '45.4.1'
const BINARY = 'stand-in binary for the Electron ABI'

const nodeBuild = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')
const nodeBuildBefore = readFileSync(nodeBuild)
let work: string
let server: Server
let host: string
let tarball: Buffer
const requests: string[] = []

beforeAll(async () => {
  // A release asset laid out as better-sqlite3 publishes them: build/Release/better_sqlite3.node.
  const staging = mkdtempSync(join(tmpdir(), 'andon-prebuilt-'))
  mkdirSync(join(staging, 'build', 'Release'), { recursive: true })
  writeFileSync(join(staging, 'build', 'Release', 'better_sqlite3.node'), BINARY)
  tarball = execFileSync('tar', ['czf', '-', '-C', staging, 'build'])
  rmSync(staging, { recursive: true, force: true })
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    if (req.url?.endsWith(`-electron-v150-${process.platform}-${process.arch}.tar.gz`) && process.env.SERVE_PREBUILT === '1') res.end(tarball)
    else res.writeHead(404).end()
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'andon-native-'))
  requests.length = 0
  vi.stubEnv('npm_config_better_sqlite3_binary_host', host)
  // prebuild-install keeps what it fetched in npm's cache: a fresh one, so nothing is served from an earlier run.
  vi.stubEnv('npm_config_cache', join(work, 'npm-cache'))
  // node-gyp keeps Electron's headers in its devdir: a fresh one, so headers fetched earlier cannot start a real compile.
  vi.stubEnv('npm_config_devdir', join(work, 'node-gyp'))
})
afterEach(() => {
  vi.unstubAllEnvs()
  rmSync(work, { recursive: true, force: true })
})

describe('better-sqlite3 for Electron', () => {
  it("fetches the prebuilt binary for Electron's ABI instead of compiling", async () => {
    vi.stubEnv('SERVE_PREBUILT', '1')
    const lines: string[] = []
    const target = join(work, 'better-sqlite3')
    const result = await buildElectronNative({ version: ELECTRON, target, log: (l: string) => lines.push(l) })
    expect(result).toEqual({ ok: true, binding: join(target, 'build', 'Release', 'better_sqlite3.node') })
    expect(readFileSync(join(target, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe(BINARY)
    expect(requests).toEqual([`/v${sqliteVersion}/better-sqlite3-v${sqliteVersion}-electron-v150-${process.platform}-${process.arch}.tar.gz`])
    expect(lines.some((l) => l.includes('node-gyp'))).toBe(false)
    // The Node build in node_modules is left as it was.
    expect(readFileSync(nodeBuild).equals(nodeBuildBefore)).toBe(true)
  })

  it('says what failed when there is no prebuilt binary and the headers cannot be fetched', async () => {
    vi.stubEnv('ELECTRON_HEADERS_URL', `${host}/no-headers-here`)
    const target = join(work, 'better-sqlite3')
    const result = await buildElectronNative({ version: ELECTRON, target, log: () => undefined })
    expect(result.ok).toBe(false)
    const log = join(work, 'build.log')
    expect(!result.ok && result.reason).toBe(
      `no prebuilt binary could be fetched and compiling failed (node-gyp exit 1; it needs Python, a C++ compiler and Electron's headers from electronjs.org; see ${log})`
    )
    expect(existsSync(join(target, 'build', 'Release', 'better_sqlite3.node'))).toBe(false)
    // What both tools said is in the log the reason names, not on the operator's terminal.
    expect(readFileSync(log, 'utf8')).toMatch(/prebuild-install[\s\S]*gyp ERR!/)
  }, 60_000)
})
