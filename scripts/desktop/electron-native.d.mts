// Types for electron-native.mjs, for the tests that exercise it.
export const projectRoot: string
export function electronVersion(root?: string): string
export function electronNativeDir(root?: string, version?: string): string
export function electronNativeBinding(root?: string, version?: string): string
export function gypArgs(version: string, arch?: string, env?: NodeJS.ProcessEnv): string[]
export function buildElectronNative(opts?: {
  force?: boolean
  dryRun?: boolean
  log?: (line: string) => void
  version?: string
  target?: string
}): Promise<{ ok: true; binding: string; dryRun?: boolean } | { ok: false; binding: string; reason: string }>
