#!/usr/bin/env node
/**
 * `npm start`: build if the sources changed, then open the Electron window where Electron can
 * start; otherwise say why in one line and serve the control room through the web shell
 * (it prints the URL with its token). `--web` (or ANDON_SHELL=web) skips the Electron attempt;
 * `--no-build` uses out/ as it is; `--data-dir DIR` is given to either shell as ANDON_DATA_DIR.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { spawn, spawnSync } from 'node:child_process'
import { buildElectronNative, electronNativeBinding, electronVersion, projectRoot as root } from './electron-native.mjs'

const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)

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
  const outputs = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'].map((p) => join(root, p))
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

/** The Electron executable if it is installed, without requiring `electron` (that would start a download). */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return null
  const rel = readFileSync(pathFile, 'utf8').trim()
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist')
  const exe = join(dist, rel)
  return existsSync(exe) ? exe : null
}

/** Either { exe, binding } or { reason } in one line. */
function electronReadiness() {
  if (opts.web || process.env.ANDON_SHELL === 'web') return { reason: 'the web shell was asked for' }
  const exe = electronBinary()
  if (!exe) return { reason: 'the Electron binary is not installed (`npx install-electron` fetches it where github.com is reachable)' }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'there is no display (DISPLAY/WAYLAND_DISPLAY unset)' }
  const binding = electronNativeBinding()
  if (!existsSync(binding)) {
    const built = buildElectronNative()
    if (!built.ok) return { reason: `better-sqlite3 could not be built for Electron ${electronVersion()}: ${built.reason}` }
  }
  return { exe, binding }
}

/** Runs a child in the foreground, passing Ctrl-C/TERM on; resolves with its exit code and run time. */
function run(cmd, args, env) {
  const started = Date.now()
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' })
  const forward = (signal) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  return new Promise((resolve) => {
    child.on('error', (err) => resolve({ code: 1, ms: Date.now() - started, error: err.message }))
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      resolve({ code: code ?? (signal ? 1 : 0), ms: Date.now() - started })
    })
  })
}

function webShell() {
  const entry = join(root, 'src', 'main', 'web', 'serve.ts')
  return run(bin('tsx'), [entry])
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
const ready = electronReadiness()
let exitCode
if ('exe' in ready) {
  const result = await run(ready.exe, ['.'], { ANDON_NATIVE_BINDING: ready.binding })
  // An Electron that dies at once (missing system libraries, no GPU/display access) gets the web shell.
  if (result.code !== 0 && result.ms < 5000) {
    console.log(`Electron exited at startup (code ${result.code}${result.error ? `: ${result.error}` : ''}); serving the control room in the browser instead.`)
    exitCode = (await webShell()).code
  } else exitCode = result.code
} else {
  console.log(`Electron cannot start here: ${ready.reason}. Serving the control room in the browser instead.`)
  exitCode = (await webShell()).code
}
process.exit(exitCode)
