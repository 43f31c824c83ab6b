/**
 * The compiled web shell (out/main/web-shell.js) prints its URL without loading the packages a
 * start does not use (the Anthropic SDK, the sandbox runtime, Octokit, yaml, the CEL library,
 * fflate, diff), and loads them when they are first needed: a spec with a CEL invariant validates
 * and a loop runs its commands in the sandbox, through the built code as `npm start` runs it.
 * Skipped, saying why, when out/ is not built.
 */
import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDirsPerTest } from '../support/temp-per-test'

const root = resolve(__dirname, '../..')
const SHELL = join(root, 'out', 'main', 'web-shell.js')
const built = existsSync(SHELL) && existsSync(join(root, 'out', 'renderer', 'index.html'))
const dirs = tempDirsPerTest('andon-lazy-packages-')

const LAZY = ['@anthropic-ai/sdk', '@anthropic-ai/sandbox-runtime', '@octokit/rest', 'yaml', '@marcbachmann/cel-js', 'fflate', 'diff']

/**
 * Preloaded into the shell: records every package required, by name, and prints the list beside
 * the URL line. A static import in the build is a top-level require, so it shows here.
 */
const RECORDER = `const Module = require('node:module')
const seen = new Set()
const load = Module._load
Module._load = function (request, ...rest) {
  const m = /^(@[^/]+\\/[^/]+|[^./][^/]*)/.exec(request)
  if (m && !request.startsWith('node:')) seen.add(m[1])
  return load.call(this, request, ...rest)
}
const log = console.log
console.log = (...args) => {
  if (String(args[0]).includes('control room:')) log('packages at start: ' + JSON.stringify([...seen]))
  log(...args)
}`

async function startRecorded(dataDir: string, recorder: string) {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.ANDON_PORT
  delete env.ANDON_DATA_DIR
  delete env.ANDON_RENDERER_DIR
  const child = spawn(process.execPath, ['-r', recorder, SHELL, '--data-dir', dataDir], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)))
  const m = await new Promise<RegExpExecArray>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no URL within 60 s:\n${output}`)), 60_000)
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
      const found = /packages at start: (\[.*\])\n[^\n]*control room: (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(output)
      if (found) {
        clearTimeout(timer)
        res(found)
      }
    })
    void exit.then((code) => rej(new Error(`the shell exited with ${code} before printing its URL:\n${output}`)))
  })
  const [origin, token] = [m[2], m[3]]
  const call = async <T,>(command: string, body: unknown): Promise<T> => {
    const r = await fetch(`${origin}/api/${command}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const json = (await r.json()) as T
    if (!r.ok) throw new Error(`${command}: ${r.status} ${JSON.stringify(json)}`)
    return json
  }
  return {
    packages: JSON.parse(m[1]) as string[],
    call,
    stop: () => {
      child.kill('SIGINT')
      return exit
    }
  }
}

/** Makes made.txt in the sandbox, then verifies it; a CEL invariant watches every observation. */
const SPEC = `name: lazy
task: make a file, then check it
autonomy: autonomous
policy:
  kind: rules
  rules:
    - { name: make, when: { start: true }, then: { tool: run_command, args: { command: "echo made > made.txt" } } }
    - { name: check, when: {}, then: { tool: verify } }
invariants:
  custom:
    - { name: few-errors, expr: "state.errorStreak < 5" }
termination:
  verifyCommand: test "$(cat made.txt)" = made
`

const title = built ? 'the compiled web shell loads packages on first use' : `the compiled web shell's lazy packages: skipped, ${SHELL} or the built renderer is missing (npx electron-vite build)`
describe.skipIf(!built)(title, () => {
  it('prints its URL without them, then validates a CEL spec and runs sandboxed commands with them', async () => {
    const dir = dirs()
    const recorder = join(dir, 'recorder.cjs')
    writeFileSync(recorder, RECORDER)
    const shell = await startRecorded(join(dir, 'data'), recorder)
    try {
      // The recorder sees the packages a start does load, so an empty list cannot pass for a clean start.
      expect(shell.packages).toEqual(expect.arrayContaining(['better-sqlite3', 'zod', 'ws']))
      expect(shell.packages.filter((p) => LAZY.includes(p))).toEqual([])

      const checked = await shell.call<{ ok: boolean; errors?: unknown }>('validateSpec', { text: SPEC.replace('state.errorStreak', 'state.errorStreaks') })
      expect(checked.ok).toBe(false)
      expect(JSON.stringify(checked.errors)).toMatch(/custom/)

      const { loopId } = await shell.call<{ loopId: string }>('launchLoop', { specText: SPEC })
      let loop: { state: { status: string; termination?: { reason: string } } } | undefined
      for (let i = 0; i < 100 && loop?.state.status !== 'terminated'; i++) {
        loop = await shell.call('getLoop', { loopId })
        await new Promise((r) => setTimeout(r, 100))
      }
      expect({ status: loop?.state.status, reason: loop?.state.termination?.reason, escalation: (loop?.state as { escalation?: unknown }).escalation ?? null }).toEqual({ status: 'terminated', reason: 'SUCCESS', escalation: null })
    } finally {
      expect(await shell.stop()).toBe(0)
    }
  }, 90_000)
})
