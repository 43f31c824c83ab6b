/**
 * Keeps a file through a build that overwrites it, and survives the build being interrupted.
 *
 * `npm run dist` needs this for better-sqlite3: electron-builder's npmRebuild compiles it for
 * Electron in place, in this checkout's node_modules, while tests, the CLI and the web shell need
 * the Node build there. The copy sits at a fixed path, so a run killed before it could put the file
 * back leaves it where the next run finds and restores it; every write is a copy to a temporary
 * file in the same folder and a rename, so neither the file nor its copy is ever half-written.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'

/** Copies `from` over `to` in one step for any reader of `to`: a rename of a finished copy. */
export function copyAtomically(from, to) {
  const partial = `${to}.partial`
  copyFileSync(from, partial)
  renameSync(partial, to)
}

/** Puts back a copy an interrupted run left at `kept.backup`; true when there was one. */
export function restoreInterrupted(kept) {
  if (!existsSync(kept.backup)) return false
  copyAtomically(kept.backup, kept.file)
  rmSync(kept.backup)
  return true
}

/** Runs `build` (sync or async) with `kept.file` saved at `kept.backup`, and puts it back afterwards. */
export async function keepingFile(kept, build) {
  // Never save over a copy still waiting to go back: the file may be the build's by now.
  restoreInterrupted(kept)
  if (!existsSync(kept.file)) return build()
  mkdirSync(dirname(kept.backup), { recursive: true })
  copyAtomically(kept.file, kept.backup)
  try {
    return await build()
  } finally {
    restoreInterrupted(kept)
  }
}
