/**
 * Which better-sqlite3 binary the Electron shell loads. node_modules holds a build for Node's
 * ABI (tests, CLI, web shell); Electron needs one for its own ABI:
 * - packaged app: electron-builder rebuilds node_modules for Electron, so the default is right;
 * - from source (`npm start`): scripts/desktop/electron-native.mjs builds a copy into
 *   .cache/electron-native/electron-<version>/ and start.mjs passes it as ANDON_NATIVE_BINDING.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** Must match scripts/desktop/electron-native.mjs. */
export function cachedBindingPath(projectRoot: string, electronVersion: string): string {
  return join(projectRoot, '.cache', 'electron-native', `electron-${electronVersion}`, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
}

export type BindingChoice = { path: string | undefined } | { error: string }

export function chooseNativeBinding(opts: {
  isPackaged: boolean
  appPath: string
  electronVersion: string
  envPath: string | undefined
}): BindingChoice {
  // A packaged app loads only the binary it ships: an environment variable must not make it load native code from elsewhere.
  if (opts.isPackaged) return { path: undefined }
  if (opts.envPath) {
    return existsSync(opts.envPath) ? { path: opts.envPath } : { error: `ANDON_NATIVE_BINDING points to a missing file: ${opts.envPath}` }
  }
  const cached = cachedBindingPath(opts.appPath, opts.electronVersion)
  if (existsSync(cached)) return { path: cached }
  return {
    error:
      `No better-sqlite3 build for Electron ${opts.electronVersion}. ` +
      'Run `node scripts/desktop/electron-native.mjs` once (it needs to download Electron headers), then start again.'
  }
}
