#!/usr/bin/env node
/**
 * `npm run dist [-- extra electron-builder args]`: packages the desktop app for this platform with
 * the targets in electron-builder.yml (Linux: AppImage and .deb, macOS: dmg, Windows: nsis).
 *
 *   1. makes sure Electron's binary for this platform is in node_modules/electron/dist (fetching it
 *      as `npm start` does, for the binary it runs); when it cannot be had, says why in one line and
 *      stops before building, rather than deep inside electron-builder's output,
 *   2. builds the app (electron-vite),
 *   3. runs electron-builder, which fetches the Electron zip of each arch it builds into its own
 *      cache (honouring ELECTRON_MIRROR): not node_modules/electron/dist, which holds this host's
 *      arch only and which electron-builder would ship as it is (default_app.asar included).
 *      Its npmRebuild compiles better-sqlite3 for Electron in place, in this checkout's node_modules;
 *      the Node build (tests, CLI, web shell) waits in .cache/dist-node-sqlite and is put back
 *      afterwards, also on Ctrl-C or kill (passed on to electron-builder), and otherwise by the
 *      next run.
 *
 * Extra arguments go to electron-builder as they are, e.g. `npm run dist -- --dir` (an unpacked
 * folder, no installer) or `-- --arm64`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse } from 'yaml'
import { ensureElectron } from './electron-fetch.mjs'
import { electronVersion, projectRoot as root } from './electron-native.mjs'
import { keepingFile, restoreInterrupted } from './keep-file.mjs'
import { bin, runToEnd } from './run.mjs'

/** electron-builder's flag for the platform it builds on; cross-building is left to its own flags. */
export const PLATFORM_FLAGS = { linux: '--linux', darwin: '--mac', win32: '--win' }

/** The electron-builder command line: this platform, then the caller's extras. */
export function builderArgs(platform, extra = []) {
  const flag = PLATFORM_FLAGS[platform]
  if (!flag) throw new Error(`npm run dist builds on Linux, macOS or Windows, not on ${platform}`)
  return [flag, ...extra]
}

/** Runs a build step in the project root with its output on the terminal; resolves to its exit code. */
async function step(name, args) {
  try {
    return await runToEnd(bin(name), args, { cwd: root, shell: process.platform === 'win32' })
  } catch (error) {
    console.error(`npm run dist: ${name} could not start (${error.message}); run \`npm install\` again`)
    return 1
  }
}

/** This checkout's Node build of better-sqlite3, and where it waits while electron-builder rebuilds it. */
const NODE_SQLITE = {
  file: join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
  backup: join(root, '.cache', 'dist-node-sqlite', 'better_sqlite3.node')
}

async function main(extra) {
  if (restoreInterrupted(NODE_SQLITE)) {
    console.log('npm run dist: put back the Node build of better-sqlite3 that an interrupted run had left in .cache/dist-node-sqlite')
  }
  let args
  try {
    args = builderArgs(process.platform, extra)
  } catch (error) {
    console.error(error.message)
    return 1
  }
  const what = `Electron ${electronVersion()} for ${process.platform}-${process.arch}`
  const electron = await ensureElectron()
  if (!electron.ok) {
    // The reason names the download itself; said once here, the line stays readable.
    console.error(`npm run dist needs ${what}: ${electron.reason.replace(`fetching ${what} from`, 'fetching it from')}`)
    return 1
  }

  console.log('Building the app (electron-vite)…')
  const built = await step('electron-vite', ['build'])
  if (built !== 0) return built

  console.log(`Packaging (electron-builder ${args.join(' ')})…`)
  const started = Date.now()
  const packaged = await keepingFile(NODE_SQLITE, () => step('electron-builder', args))
  if (packaged !== 0) return packaged
  const output = resolve(root, parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')).directories?.output ?? 'dist')
  const made = readdirSync(output).filter((name) => statSync(join(output, name)).mtimeMs >= started)
  const where = relative(process.cwd(), output) || '.'
  console.log(`Packaged into ${where}/: ${made.join(', ') || '(nothing new)'}`)
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(await main(process.argv.slice(2)))
