// Types for linux-sandbox.mjs, for the tests that exercise it.
export function sandboxHint(opts: {
  platform: string
  helper: string
  helperStat: { uid: number; mode: number } | null
  usernsRestricted: boolean
}): string | null
export function sandboxHintFor(exe: string, platform?: string): string | null
