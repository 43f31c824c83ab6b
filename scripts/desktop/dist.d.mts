// Types for dist.mjs, for the tests that exercise it.
export const PLATFORM_FLAGS: Record<'linux' | 'darwin' | 'win32', string>
export function builderArgs(platform: string, extra?: string[]): string[]
