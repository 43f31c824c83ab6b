// Types for electron-fetch.mjs, for the tests that exercise it.
export function platformPath(platform?: string): string
export function installedElectron(electronDir: string, env?: NodeJS.ProcessEnv): string | null
export function describeFetchError(error: unknown, host: string): string
export function ensureElectron(opts?: {
  electronDir?: string
  out?: { write(chunk: string): unknown; isTTY?: boolean }
  platform?: string
  arch?: string
}): Promise<{ ok: true; exe: string; fetched: boolean } | { ok: false; reason: string }>
