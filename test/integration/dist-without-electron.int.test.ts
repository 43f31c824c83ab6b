// `npm run dist` where Electron cannot be fetched: one line saying what is missing and why, exit 1,
// and nothing built (no app build started, no dist/ folder).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const electronDir = join(root, 'node_modules', 'electron')
// With Electron installed, dist would really build; this is about the machine without it.
const electronPresent = existsSync(join(electronDir, 'path.txt'))
const cache = mkdtempSync(join(tmpdir(), 'andon-dist-cache-'))
afterAll(() => rmSync(cache, { recursive: true, force: true }))

/** A loopback port nothing listens on, so a download from it is refused at once. */
function refusedPort(): Promise<number> {
  return new Promise((res) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => res(port))
    })
  })
}

describe.skipIf(electronPresent)('npm run dist without Electron', () => {
  it('says in one line that it needs Electron and why, exits 1 and builds nothing', async () => {
    const port = await refusedPort()
    const distBefore = existsSync(join(root, 'dist'))
    const started = Date.now()
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, electron_config_cache: cache }
    for (const name of ['ELECTRON_SKIP_BINARY_DOWNLOAD', 'ELECTRON_OVERRIDE_DIST_PATH', 'npm_config_electron_mirror', 'NPM_CONFIG_ELECTRON_MIRROR']) delete env[name]
    const child = spawn(process.execPath, ['scripts/desktop/dist.mjs', '--dir'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise<number | null>((res) => child.on('exit', res))

    expect(code, stdout + stderr).toBe(1)
    const host = `127.0.0.1:${port}`
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        new RegExp(`^npm run dist needs Electron \\d+\\.\\d+\\.\\d+\\S* for ${process.platform}-${process.arch}: fetching it from ${host} failed: ${host} refused the connection; set ELECTRON_MIRROR to a mirror you can reach`)
      )
    ])
    // It stopped before the app build (which alone takes longer than this) and before packaging.
    expect(stdout).not.toMatch(/Building|Packaging/)
    expect(Date.now() - started).toBeLessThan(10_000)
    if (!distBefore) expect(existsSync(join(root, 'dist'))).toBe(false)
    // Nothing was half-installed into the project's Electron package, and nothing was cached.
    expect(readdirSync(electronDir).filter((entry) => entry === 'path.txt' || entry.startsWith('dist'))).toEqual([])
    expect(readdirSync(cache)).toEqual([])
  }, 30_000)
})
