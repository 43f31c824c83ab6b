// Types for keep-file.mjs, for the tests that exercise it.
export interface Kept {
  /** The file a build overwrites. */
  file: string
  /** Where its copy waits while the build runs (and after a run that was interrupted). */
  backup: string
}
export function copyAtomically(from: string, to: string): void
export function restoreInterrupted(kept: Kept): boolean
export function keepingFile<T>(kept: Kept, build: () => T | Promise<T>): Promise<T>
