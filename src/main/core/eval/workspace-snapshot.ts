/**
 * The workspace snapshot of an eval case: the regular files of a folder copied into the suite's
 * `cases/<case>/workspace/`. Symbolic links (and sockets, devices…) are never followed: they are
 * left out and named, so a link in a workspace cannot pull a file from elsewhere into a suite
 * that may be committed and shared. Bounded in files and bytes, with an error that says which.
 */
import { constants } from 'node:fs'
import { lstat, mkdir, open, readdir, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { EvalInputError } from './suite'

export interface SnapshotLimits {
  files: number
  bytes: number
  depth: number
}

export const SNAPSHOT_LIMITS: SnapshotLimits = { files: 2000, bytes: 20 * 1024 * 1024, depth: 32 }

export interface SnapshotCopy {
  files: number
  bytes: number
  /** What was left out, relative to the source: `path (symbolic link)`. */
  skipped: string[]
}

const MB = 1024 * 1024

/** The file's bytes, opened without following a link (one swapped in since the listing fails); null past `room` bytes. */
async function readRegularFile(path: string, room: number): Promise<Buffer | null> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  try {
    const st = await fh.stat()
    if (!st.isFile()) throw new EvalInputError(`${path} changed while it was copied`)
    if (st.size > room) return null
    return await fh.readFile()
  } finally {
    await fh.close()
  }
}

/** Copies `src`'s regular files into `dest` (created; must not exist). Throws EvalInputError past a limit. */
export async function copyRegularFiles(src: string, dest: string, limits: SnapshotLimits = SNAPSHOT_LIMITS): Promise<SnapshotCopy> {
  const out: SnapshotCopy = { files: 0, bytes: 0, skipped: [] }
  const tooBig = (what: string) =>
    new EvalInputError(`the workspace ${src} is too large for an eval case: ${what} (at most ${limits.files} files and ${limits.bytes / MB} MB)`)

  async function walk(dir: string, to: string, depth: number): Promise<void> {
    if (depth > limits.depth) throw tooBig(`folders nested deeper than ${limits.depth}`)
    await mkdir(to)
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const from = join(dir, entry.name)
      // Dirent types come from lstat: a symbolic link is reported as one, never as its target.
      if (entry.isDirectory()) {
        await walk(from, join(to, entry.name), depth + 1)
      } else if (entry.isFile()) {
        if (++out.files > limits.files) throw tooBig(`more than ${limits.files} files`)
        const bytes = await readRegularFile(from, limits.bytes - out.bytes)
        if (bytes === null) throw tooBig(`more than ${limits.bytes / MB} MB`)
        out.bytes += bytes.length
        await writeFile(join(to, entry.name), bytes, { flag: 'wx' })
      } else {
        out.skipped.push(`${relative(src, from)} (${entry.isSymbolicLink() ? 'symbolic link' : 'not a regular file'})`)
      }
    }
  }

  const top = await lstat(src).catch(() => null)
  if (!top?.isDirectory()) throw new EvalInputError(`the workspace ${src} is not a folder`)
  await walk(src, dest, 0)
  return out
}
