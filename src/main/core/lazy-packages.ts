/**
 * Packages that synchronous code needs but a start does not, each required the first time it is
 * used, so the shell prints its URL without parsing them (yaml and the CEL library are among the
 * slower packages to load; fflate and diff add a little each). Packages used only from async code
 * are loaded with `import()` where they are used instead.
 */
import { createRequire } from 'node:module'

function onFirstUse<T>(id: string): () => T {
  let loaded: T | undefined
  return () => (loaded ??= createRequire(__filename)(id) as T)
}

export const yaml = onFirstUse<typeof import('yaml')>('yaml')
export const celJs = onFirstUse<typeof import('@marcbachmann/cel-js')>('@marcbachmann/cel-js')
/** Bundle export and import. */
export const fflate = onFirstUse<typeof import('fflate')>('fflate')
/** The diff of a proposed file edit. */
export const diff = onFirstUse<typeof import('diff')>('diff')
