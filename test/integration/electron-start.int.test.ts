// `npm start` on a machine where the Electron binary is missing and cannot be fetched: it tries
// (against a mirror on 127.0.0.1 that never answers), gives up after its default 2 s, says in one
// line which step failed, then the web shell serves the control room on 127.0.0.1 and prints its
// URL; Ctrl-C stops both cleanly.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const built = existsSync(join(root, 'out', 'renderer', 'index.html'))
const electronPresent = existsSync(join(root, 'node_modules', 'electron', 'path.txt'))
const dataDir = mkdtempSync(join(tmpdir(), 'andon-start-'))
const silent = createServer(() => undefined)
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true })
  silent.closeAllConnections()
  silent.close()
})

describe.skipIf(!built || electronPresent)('npm start without Electron', () => {
  it('tries to fetch it, says in one line which step failed, and serves the control room', async () => {
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok))
    const mirror = `127.0.0.1:${(silent.address() as AddressInfo).port}`
    const child = spawn(process.execPath, ['scripts/start.mjs', '--no-build'], {
      cwd: root,
      env: {
        ...process.env,
        ANDON_DATA_DIR: dataDir,
        ANDON_PORT: '0',
        ANDON_SHELL: '',
        DISPLAY: ':99',
        ELECTRON_MIRROR: `http://${mirror}/`,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '',
        ANDON_ELECTRON_CONNECT_TIMEOUT: '',
        electron_config_cache: join(dataDir, 'electron-cache')
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    // When each line arrived, to bound what the failed fetch adds before the web shell starts.
    const arrived = new Map<string, number>()
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      for (const line of out.split('\n')) if (!arrived.has(line)) arrived.set(line, Date.now())
    })
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const url = await new Promise<string>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no URL within 60 s:\n${out}`)), 60_000)
      child.stdout.on('data', () => {
        const m = /control room: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out)
        if (m) {
          clearTimeout(timer)
          res(m[1])
        }
      })
    })
    const lines = out.split('\n').filter(Boolean)
    expect(lines[0]).toMatch(new RegExp(`^Fetching Electron [\\d.]+ for ${process.platform}-${process.arch} from ${mirror}…$`))
    expect(lines[1]).toMatch(
      new RegExp(`^Electron cannot start here: fetching Electron [\\d.]+ for \\S+ from ${mirror} failed: no answer within 2 s \\(on a slow network, ANDON_ELECTRON_CONNECT_TIMEOUT=15 waits longer\\); set ELECTRON_MIRROR .*Serving the control room in the browser instead\\.$`)
    )
    // The bound: where nothing answers, the fallback comes the connect time-out (2 s) after the fetch began, not later.
    const added = arrived.get(lines[1])! - arrived.get(lines[0])!
    expect(added).toBeGreaterThan(1500)
    expect(added).toBeLessThan(4000)
    const page = await fetch(url.replace(/#.*$/, ''))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')

    const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)))
    child.kill('SIGINT')
    expect(await exit).toBe(0)
    await expect(fetch(url.replace(/#.*$/, ''))).rejects.toThrow()
  }, 90_000)
})
