/**
 * Replaces a small file in one step. The text goes to a temporary file with a fresh random name,
 * created exclusively, so nothing already there (a symlink planted at a predictable name, a file
 * with a wider mode) is written through; then it is renamed over the target. A crash mid-write
 * leaves the old file or none, never half of one.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fchmodSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/** `mode`, when given, is set exactly (the mode openSync takes is narrowed by the umask). */
export function writeFileAtomically(file: string, text: string, mode?: number): void {
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${randomBytes(8).toString('hex')}.tmp`
  const fd = openSync(tmp, 'wx', mode ?? 0o666)
  try {
    try {
      if (mode !== undefined) fchmodSync(fd, mode)
      writeSync(fd, text)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, file)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
}
