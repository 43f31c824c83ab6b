/**
 * The web shell as `npm start` runs it: out/main/web-shell.js, plain Node, no TypeScript at run
 * time. It prints its URL, serves the built renderer there, recovers a loop a killed process left
 * running before it says it is up, and the first page it serves does not carry xterm (fetched
 * with the terminal). Skipped, saying why, when out/ is not built.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TraceStore } from '../../src/main/core/store/trace-store'
import { killCrashChildren, runUntilKill } from '../support/crash'
import { spawnUntilUrl, type StartedShell } from '../support/shell-process'
import { madeOnceSpec } from '../support/specs'
import { tempDirsPerTest } from '../support/temp-per-test'

const root = resolve(__dirname, '../..')
const SHELL = join(root, 'out', 'main', 'web-shell.js')
const RENDERER = join(root, 'out', 'renderer')
const built = existsSync(SHELL) && existsSync(join(RENDERER, 'index.html'))
const dataDir = tempDirsPerTest('andon-compiled-shell-')
afterEach(() => killCrashChildren())

/** Spawns the compiled shell until it prints its URL; `stop` sends SIGINT and resolves with the exit code. */
async function startCompiled(dir: string): Promise<StartedShell> {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.ANDON_PORT
  delete env.ANDON_DATA_DIR
  delete env.ANDON_RENDERER_DIR
  return spawnUntilUrl([SHELL, '--data-dir', dir], { cwd: root, env, what: 'the shell' })
}

/** The scripts index.html loads (module entry and preloads), as paths under out/renderer. */
function firstPageScripts(html: string): string[] {
  return [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.\/([^"]+\.js)"/g)].map((m) => m[1])
}

const title = built ? 'the compiled web shell (out/main/web-shell.js)' : `the compiled web shell: skipped, ${SHELL} or the built renderer is missing (npx electron-vite build)`
describe.skipIf(!built)(title, () => {
  it('prints its URL and serves the built renderer there, with its CSP, and shuts down cleanly on SIGINT', async () => {
    const dir = dataDir()
    const shell = await startCompiled(dir)
    const origin = new URL(shell.url).origin
    const page = await fetch(`${origin}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await page.text()
    expect(html).toBe(readFileSync(join(RENDERER, 'index.html'), 'utf8'))
    const [entry] = firstPageScripts(html)
    const script = await fetch(`${origin}/${entry}`)
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(existsSync(join(dir, 'andon.db'))).toBe(true)
    expect(await shell.stop()).toBe(0)
    expect(shell.output()).toContain('SIGINT: shutting down')
  }, 90_000)

  it('recovers a loop a killed process left running before it prints its URL', async () => {
    const dir = dataDir()
    const { loopId } = await runUntilKill(dir, JSON.stringify(madeOnceSpec('echo made | tee -a made.txt; sleep 3')), /ToolOutput/)
    const shell = await startCompiled(dir)
    expect(await shell.stop()).toBe(0)
    const store = new TraceStore({ path: join(dir, 'andon.db'), readonly: true })
    try {
      const types = store.readStream(loopId).map((e) => e.type)
      // The cut-off call's outcome is unknown: the loop is stopped for the operator, not re-run nor left "running".
      expect(types).toContain('Interrupted')
      expect(store.loadState(loopId).escalation?.kind).toBe('outcome-unknown')
    } finally {
      store.close()
    }
  }, 90_000)

  it("serves a first page without xterm: the terminal's code and styles come with the terminal", () => {
    const html = readFileSync(join(RENDERER, 'index.html'), 'utf8')
    const scripts = firstPageScripts(html)
    expect(scripts.length).toBeGreaterThan(0)
    for (const file of scripts) expect(readFileSync(join(RENDERER, file), 'utf8')).not.toContain('xterm-helper-textarea')
    const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\.\/([^"]+)"/g)].map((m) => m[1])
    for (const file of styles) expect(readFileSync(join(RENDERER, file), 'utf8')).not.toContain('.xterm')
    // The terminal's chunk exists and is what holds xterm (the check above would pass on a build without it).
    const assets = join(RENDERER, 'assets')
    const withXterm = readdirSync(assets).filter((f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('xterm-helper-textarea'))
    expect(withXterm).toEqual([expect.stringMatching(/^Terminal-/)])
  })

  it('serves a first page without the launch form and the escalation view: they come when opened', () => {
    const scripts = firstPageScripts(readFileSync(join(RENDERER, 'index.html'), 'utf8'))
    const assets = readdirSync(join(RENDERER, 'assets'))
    for (const part of ['LaunchForm', 'EscalationView']) {
      const chunk = assets.find((f) => f.startsWith(`${part}-`) && f.endsWith('.js'))
      expect(chunk, `a chunk of its own for ${part}`).toBeDefined()
      expect(scripts).not.toContain(`assets/${chunk}`)
    }
  })

  it('serves a first page without zod: the schemas load with the parts that parse', () => {
    const scripts = firstPageScripts(readFileSync(join(RENDERER, 'index.html'), 'utf8'))
    const withZod = (f: string) => readFileSync(join(RENDERER, f), 'utf8').includes('ZodError')
    // The marker is in the build (a check that found no zod anywhere would pass on a broken marker).
    expect(readdirSync(join(RENDERER, 'assets')).some((f) => f.endsWith('.js') && withZod(join('assets', f)))).toBe(true)
    expect(scripts.filter(withZod)).toEqual([])
  })

  it('ships the renderer minified', () => {
    const [entry] = firstPageScripts(readFileSync(join(RENDERER, 'index.html'), 'utf8'))
    const text = readFileSync(join(RENDERER, entry), 'utf8')
    // Unminified output keeps one statement a line; minified, the average line runs to thousands of characters.
    expect(text.length / text.split('\n').length).toBeGreaterThan(1000)
  })
})
