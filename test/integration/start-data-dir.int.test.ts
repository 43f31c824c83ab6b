// `npm start -- --web --data-dir DIR`: the folder is taken relative to where the command was
// typed, holds the database and the saved address, and a second start prints the same URL.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnUntilUrl } from '../support/shell-process'

const root = resolve(__dirname, '../..')
// npm start runs the built web shell: without a build (out/), there is nothing to start.
const built = existsSync(join(root, 'out', 'renderer', 'index.html')) && existsSync(join(root, 'out', 'main', 'web-shell.js'))
const typedIn = mkdtempSync(join(tmpdir(), 'andon-start-dir-'))
afterAll(() => rmSync(typedIn, { recursive: true, force: true }))

/** Runs `npm start` as npm does (in the project root, INIT_CWD where it was typed) until it prints its URL, then stops it. */
async function startOnce(args: string[]): Promise<{ url: string; output: string }> {
  const env: Record<string, string | undefined> = { ...process.env, INIT_CWD: typedIn, ANDON_SHELL: '' }
  delete env.ANDON_DATA_DIR
  delete env.ANDON_PORT
  const shell = await spawnUntilUrl(['scripts/start.mjs', '--no-build', ...args], { cwd: root, env, what: 'npm start' })
  expect(await shell.stop()).toBe(0)
  return { url: shell.url, output: shell.output() }
}

describe.skipIf(!built)('npm start -- --data-dir', () => {
  it('keeps the data and the address in that folder, and serves the same URL the next time', async () => {
    const first = await startOnce(['--web', '--data-dir', 'my-loops'])
    const dir = join(typedIn, 'my-loops')
    expect(existsSync(join(dir, 'andon.db'))).toBe(true)
    const saved = JSON.parse(readFileSync(join(dir, 'web-shell.json'), 'utf8')) as { port: number; token: string }
    expect(first.url).toBe(`http://127.0.0.1:${saved.port}/#token=${saved.token}`)

    const second = await startOnce(['--web', `--data-dir=${dir}`])
    expect(second.url).toBe(first.url)
  }, 120_000)

  it('refuses an option it does not know, with its usage', async () => {
    const child = spawn(process.execPath, ['scripts/start.mjs', '--no-build', '--data-dri', 'x'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)))
    expect(code).toBe(2)
    expect(err).toContain("Unknown option '--data-dri'")
    expect(err).toContain('usage: npm start -- [--web] [--no-build] [--data-dir DIR]')
  })
})
