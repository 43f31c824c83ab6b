#!/usr/bin/env node
/**
 * Gets better-sqlite3 for Electron's ABI, beside (not instead of) the Node build.
 *
 * Why: node_modules/better-sqlite3 is compiled for Node (tests, CLI, web shell). Electron has its
 * own ABI, so it needs its own binary, and rebuilding node_modules in place (postinstall,
 * electron-rebuild) would break every Node user of the same checkout. So this script:
 *   1. copies node_modules/better-sqlite3 to .cache/electron-native/electron-<version>/better-sqlite3,
 *   2. fetches better-sqlite3's prebuilt binary for that Electron there (prebuild-install, as its
 *      own install script does; a few MB from github.com), and only when there is none, runs
 *      node-gyp there with --runtime=electron --target=<installed electron version>
 *      --dist-url=https://electronjs.org/headers (downloads Electron's headers once into node-gyp's
 *      cache; needs Python and a C++ compiler),
 *   3. leaves build/Release/better_sqlite3.node, which scripts/start.mjs hands to the Electron
 *      shell as ANDON_NATIVE_BINDING (better-sqlite3's `nativeBinding` option).
 * Packaged apps do not need this: electron-builder rebuilds node_modules for Electron itself.
 * Offline or behind a mirror: ELECTRON_HEADERS_DIR=<unpacked Electron headers> uses local headers,
 * ELECTRON_HEADERS_URL=<mirror> replaces the download URL.
 *
 * Usage: node scripts/desktop/electron-native.mjs [--force] [--dry-run]
 */
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const require = createRequire(join(projectRoot, 'package.json'))

/** The installed Electron version, from its package (never requires `electron`, which would try to download). */
export function electronVersion(root = projectRoot) {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
}

/** Must match src/main/electron/native.ts. */
export function electronNativeDir(root = projectRoot, version = electronVersion(root)) {
  return join(root, '.cache', 'electron-native', `electron-${version}`, 'better-sqlite3')
}
export function electronNativeBinding(root = projectRoot, version = electronVersion(root)) {
  return join(electronNativeDir(root, version), 'build', 'Release', 'better_sqlite3.node')
}

/** The node-gyp command line for an Electron build of the package in `dir`. */
export function gypArgs(version, arch = process.arch, env = process.env) {
  const headers = env.ELECTRON_HEADERS_DIR
    ? `--nodedir=${resolve(env.ELECTRON_HEADERS_DIR)}`
    : `--dist-url=${env.ELECTRON_HEADERS_URL || 'https://electronjs.org/headers'}`
  return ['rebuild', '--release', '--runtime=electron', `--target=${version}`, `--arch=${arch}`, headers]
}

const PREBUILT_TIMEOUT_MS = 120_000
const COMPILE_TIMEOUT_MS = 20 * 60_000

/**
 * Runs a step in `cwd` with a time-out, its output appended to `logFile` (a failed compile prints
 * hundreds of lines; the operator gets one, naming the log). Resolves with null when it worked,
 * else why not. On time-out the whole process group goes (node-gyp leaves make and the compiler
 * running otherwise, still writing into the folder the next attempt clears).
 */
function step(args, cwd, env, timeout, logFile) {
  return new Promise((resolve) => {
    const out = openSync(logFile, 'a')
    const ownGroup = process.platform !== 'win32'
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', out, out], detached: ownGroup })
    closeSync(out)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        if (ownGroup) process.kill(-child.pid, 'SIGKILL')
        else child.kill('SIGKILL')
      } catch {
        // already gone
      }
    }, timeout)
    child.on('error', (error) => resolve(error.message))
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (timedOut) resolve(`timed out after ${timeout / 1000} s`)
      else resolve(code === 0 ? null : `exit ${code ?? signal}`)
    })
  })
}

/** `target` defaults to the folder the shell looks in; the binding lands in its build/Release. */
export async function buildElectronNative({ force = false, dryRun = false, log = console.log, version = electronVersion(), target = electronNativeDir(projectRoot, version) } = {}) {
  const binding = join(target, 'build', 'Release', 'better_sqlite3.node')
  if (existsSync(binding) && !force) {
    log(`better-sqlite3 for Electron ${version} is ready: ${binding}`)
    return { ok: true, binding }
  }
  const source = dirname(require.resolve('better-sqlite3/package.json'))
  const gyp = require.resolve('node-gyp/bin/node-gyp.js')
  const args = gypArgs(version)
  // Beside the folder, which each attempt clears.
  const logFile = join(dirname(target), 'build.log')
  log(`Getting better-sqlite3 for Electron ${version} into ${target} (log: ${logFile})`)
  if (dryRun) return { ok: true, binding, dryRun: true }

  rmSync(target, { recursive: true, force: true })
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(logFile, '')
  // The Node build stays where it is; the copy gets its own build/ folder.
  cpSync(source, target, { recursive: true, filter: (src) => !src.startsWith(join(source, 'build')) })
  // An npm-provided nodedir (set for Node builds) would make node-gyp use Node's headers.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k)))
  const prebuild = require.resolve('prebuild-install/bin.js')
  const prebuilt = await step([prebuild, '--runtime=electron', `--target=${version}`, `--arch=${process.arch}`, `--platform=${process.platform}`], target, env, PREBUILT_TIMEOUT_MS, logFile)
  if (prebuilt === null && existsSync(binding)) {
    log(`fetched the prebuilt ${binding}`)
    return { ok: true, binding }
  }
  log(`no prebuilt binary (${prebuilt ?? 'none written'}); compiling with node-gyp ${args.join(' ')}`)
  const compiled = await step([gyp, ...args], target, env, COMPILE_TIMEOUT_MS, logFile)
  if (compiled !== null || !existsSync(binding)) {
    return {
      ok: false,
      binding,
      reason: `no prebuilt binary could be fetched and compiling failed (node-gyp ${compiled ?? 'wrote nothing'}; it needs Python, a C++ compiler and Electron's headers from electronjs.org; see ${logFile})`
    }
  }
  log(`built ${binding}`)
  return { ok: true, binding }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildElectronNative({ force: process.argv.includes('--force'), dryRun: process.argv.includes('--dry-run') })
  if (!result.ok) console.error(result.reason)
  process.exit(result.ok ? 0 : 1)
}
