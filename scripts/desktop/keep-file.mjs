/**
 * Keeps a file through a build that overwrites it, and survives the build being interrupted.
 *
 * `npm run dist` needs this for better-sqlite3: electron-builder's npmRebuild compiles it for
 * Electron in place, in this checkout's node_modules, while tests, the CLI and the web shell need
 * the Node build there. The copy sits at a fixed path, so a run killed before it could put the file
 * back leaves it where the next run finds and restores it; every write is a copy to a temporary
 * file in the same folder and a rename, so neither the file nor its copy is ever half-written.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { constants } from 'node:os'
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

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Runs a command to its end with its output on the terminal, passing on Ctrl-C, kill and a closed
 * terminal to it instead of dying first, so whatever runs after it (a `finally`) still runs.
 * Resolves to its exit code (128 + the signal's number when a signal ended it); rejects when it
 * could not start.
 */
export function runToEnd(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options })
    const forward = (signal) => child.kill(signal)
    for (const signal of FORWARDED) process.on(signal, forward)
    const done = () => {
      for (const signal of FORWARDED) process.off(signal, forward)
    }
    child.on('error', (error) => {
      done()
      reject(error)
    })
    child.on('exit', (code, signal) => {
      done()
      resolve(code ?? 128 + (constants.signals[signal] ?? 0))
    })
  })
}
