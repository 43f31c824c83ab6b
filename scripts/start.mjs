#!/usr/bin/env node
/**
 * `npm start`: build if the sources changed, then open the Electron window: fetch the Electron
 * binary if it is missing (scripts/desktop/electron-fetch.mjs) and get better-sqlite3 for its ABI
 * (scripts/desktop/electron-native.mjs). When a step fails, say which in one line and serve the
 * control room through the built web shell, out/main/web-shell.js (it prints the URL with its token); the choice itself is
 * scripts/desktop/shell-plan.mjs. `--web` (or ANDON_SHELL=web) skips Electron; `--no-build` uses
 * out/ as it is; `--data-dir DIR` is given to either shell as ANDON_DATA_DIR.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { spawnSync } from 'node:child_process'
import { ensureElectron } from './desktop/electron-fetch.mjs'
import { buildElectronNative, projectRoot as root } from './desktop/electron-native.mjs'
import { sandboxHintFor } from './desktop/linux-sandbox.mjs'
import { bin, runInForeground } from './desktop/run.mjs'
import { hasDisplay, startShell } from './desktop/shell-plan.mjs'

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** Rebuild only when a source or build input is newer than the oldest build output. */
function ensureBuilt() {
  const outputs = ['out/main/index.js', 'out/main/web-shell.js', 'out/preload/index.js', 'out/renderer/index.html'].map((p) => join(root, p))
  const inputs = ['src', 'electron.vite.config.ts', 'package.json', 'tsconfig.node.json', 'tsconfig.web.json'].map((p) => join(root, p))
  const built = outputs.every((p) => existsSync(p)) ? Math.min(...outputs.map((p) => statSync(p).mtimeMs)) : 0
  if (built > Math.max(...inputs.map(newestMtime))) return
  console.log('Building (electron-vite)…')
  const result = spawnSync(bin('electron-vite'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (result.status !== 0) {
    console.error('Build failed: run `npx electron-vite build` to see why.')
    process.exit(result.status ?? 1)
  }
}

/** better-sqlite3 for Electron: the one ANDON_NATIVE_BINDING names, else the cached or a fresh build. */
function ensureNative() {
  const named = process.env.ANDON_NATIVE_BINDING
  if (named) return existsSync(named) ? { ok: true, binding: named } : { ok: false, reason: `ANDON_NATIVE_BINDING points to a missing file: ${named}` }
  return buildElectronNative({ log: (line) => console.log(line) })
}

/** Runs a shell in the foreground; resolves with its exit code and run time (code 1 when it could not start). */
async function run(cmd, args, env) {
  const started = Date.now()
  try {
    const { code, signal } = await runInForeground(cmd, args, { cwd: root, env: { ...process.env, ...env } })
    return { code: code ?? (signal ? 1 : 0), ms: Date.now() - started }
  } catch (err) {
    return { code: 1, ms: Date.now() - started, error: err.message }
  }
}

/** The web shell as built (out/main/web-shell.js): plain Node, nothing transpiled at start. */
function webShell() {
  const entry = join(root, 'out', 'main', 'web-shell.js')
  if (!existsSync(entry)) {
    console.error(`No built web shell at ${entry}: run \`npm run build\` (or start without --no-build).`)
    return Promise.resolve({ code: 1, ms: 0 })
  }
  return run(process.execPath, [entry])
}

/** The options of `npm start -- …`; anything else is refused rather than ignored. */
function options() {
  try {
    return parseArgs({ options: { web: { type: 'boolean' }, 'no-build': { type: 'boolean' }, 'data-dir': { type: 'string' } }, strict: true }).values
  } catch (err) {
    console.error(`${err.message}\nusage: npm start -- [--web] [--no-build] [--data-dir DIR]`)
    process.exit(2)
  }
}

const opts = options()
// Relative to where `npm start` was typed: npm itself runs scripts in the project root.
if (opts['data-dir']) process.env.ANDON_DATA_DIR = resolve(process.env.INIT_CWD ?? process.cwd(), opts['data-dir'])
if (!opts['no-build']) ensureBuilt()
const exitCode = await startShell({
  steps: {
    webAsked: Boolean(opts.web) || process.env.ANDON_SHELL === 'web',
    hasDisplay: () => hasDisplay(),
    ensureElectron: () => ensureElectron(),
    ensureNative
  },
  launchElectron: ({ exe, binding }) => run(exe, ['.'], { ANDON_NATIVE_BINDING: binding }),
  launchWeb: webShell,
  explainStartupFailure: (exe) => sandboxHintFor(exe),
  log: (line) => console.log(line)
})
process.exit(exitCode)
