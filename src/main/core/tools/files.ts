/**
 * File tools confined to the loop's workspace: a path that leads outside it (.., absolute paths,
 * a symlink pointing out, dangling or not) is refused before anything is read or written. They
 * read and write regular files only (a FIFO would block, a device never ends), reads are capped,
 * and the file is opened without following a final symlink or waiting on a FIFO, so one swapped
 * in after the check fails instead.
 */
import { constants, type Stats } from 'node:fs'
import { lstat, mkdir, open, readlink, realpath, type FileHandle } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { z } from 'zod'
import type { ToolContext, ToolDefinition, ToolResult } from './tool'

const MAX_READ = 1024 * 1024
/** replace_in_file reads the whole file and writes it back: no more than write_file may write. */
const MAX_EDIT = 5_000_000
/** As the kernel: a chain of symlinks longer than this is a loop. */
const MAX_LINKS = 40
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0
const NO_WAIT = constants.O_NONBLOCK ?? 0

export class WorkspacePathError extends Error {}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw err
  }
}

/**
 * Resolve `path` inside `workspace` the way the kernel would, following every symlink on the
 * way (a dangling one included: writing to it would create its target); refused if it ends
 * outside. What does not exist yet is taken as written.
 */
export async function resolveInWorkspace(workspace: string, path: string): Promise<string> {
  return (await resolveWithRoot(workspace, path)).abs
}

/** resolveInWorkspace, with the workspace's real path it resolved against (one realpath per call, not two). */
async function resolveWithRoot(workspace: string, path: string): Promise<{ root: string; abs: string }> {
  if (isAbsolute(path)) throw new WorkspacePathError(`path must be relative to the workspace: ${path}`)
  const root = await realpath(workspace)
  const inside = (p: string) => p === root || p.startsWith(root + sep)
  if (!inside(resolve(root, path))) throw new WorkspacePathError(`path is outside the workspace: ${path}`)
  const pending = path.split(sep)
  let at = root
  let links = 0
  while (pending.length > 0) {
    const part = pending.shift()!
    if (part === '' || part === '.') continue
    if (part === '..') {
      at = dirname(at)
      continue
    }
    const next = join(at, part)
    if ((await lstatOrNull(next))?.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new WorkspacePathError(`too many symlinks in ${path}`)
      const target = await readlink(next)
      if (isAbsolute(target)) at = sep
      pending.unshift(...target.split(sep))
      continue
    }
    at = next
  }
  if (!inside(at)) throw new WorkspacePathError(`path leads outside the workspace: ${path}`)
  return { root, abs: at }
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory'
  if (s.isFIFO()) return 'a FIFO'
  if (s.isSocket()) return 'a socket'
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device'
  if (s.isSymbolicLink()) return 'a symlink'
  return 'not a regular file'
}

const notRegular = (path: string, s: Stats) => new WorkspacePathError(`${path} is ${kindOf(s)}; only regular files are read or written`)

/** Open an existing regular file (checked before and after opening) for reading. */
export async function openRegular(abs: string, path: string): Promise<{ handle: FileHandle; size: number }> {
  const before = await lstat(abs)
  if (!before.isFile()) throw notRegular(path, before)
  const handle = await open(abs, constants.O_RDONLY | NO_FOLLOW | NO_WAIT)
  const opened = await handle.stat()
  if (!opened.isFile()) {
    await handle.close()
    throw notRegular(path, opened)
  }
  return { handle, size: opened.size }
}

export async function readHead(handle: FileHandle, limit: number): Promise<Buffer> {
  const buf = Buffer.alloc(limit)
  let filled = 0
  while (filled < limit) {
    const { bytesRead } = await handle.read(buf, filled, limit - filled, filled)
    if (bytesRead === 0) break
    filled += bytesRead
  }
  return buf.subarray(0, filled)
}

/** Create or overwrite a regular file, never through a symlink. */
async function writeRegular(abs: string, path: string, content: string): Promise<void> {
  const existing = await lstatOrNull(abs)
  if (existing && !existing.isFile()) throw notRegular(path, existing)
  const handle = await open(abs, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NO_FOLLOW | NO_WAIT, 0o666)
  try {
    await handle.writeFile(content)
  } finally {
    await handle.close()
  }
}

function refused(err: unknown): ToolResult {
  return { ok: false, exitCode: null, summary: (err as Error).message, excerpt: '' }
}

async function guarded(ctx: ToolContext, path: string, body: (abs: string, rel: string) => Promise<ToolResult>): Promise<ToolResult> {
  let abs: string
  let rel: string
  try {
    const resolved = await resolveWithRoot(ctx.workspace, path)
    abs = resolved.abs
    rel = relative(resolved.root, abs)
  } catch (err) {
    return refused(err)
  }
  try {
    return await body(abs, rel)
  } catch (err) {
    return refused(err)
  }
}

const PathArg = z.string().min(1).max(1000)

const ReadInput = z.object({ path: PathArg }).strict()
export const readFileTool: ToolDefinition<z.infer<typeof ReadInput>> = {
  name: 'read_file',
  description: 'Read a text file in the workspace.',
  input: ReadInput,
  risk: 'low',
  idempotent: true,
  run: (args, ctx) =>
    guarded(ctx, args.path, async (abs) => {
      const { handle, size } = await openRegular(abs, args.path)
      let head: Buffer
      try {
        head = await readHead(handle, Math.min(size, MAX_READ))
      } finally {
        await handle.close()
      }
      const text = new TextDecoder('utf-8').decode(head)
      ctx.emit('stdout', text)
      const note = size > MAX_READ ? ` (first ${MAX_READ} of ${size} bytes)` : ''
      return { ok: true, exitCode: null, summary: `read ${args.path}${note}`, excerpt: text.slice(-4000), outputBytes: size, truncated: note !== '' }
    })
}

const WriteInput = z.object({ path: PathArg, content: z.string().max(5_000_000) }).strict()
export const writeFileTool: ToolDefinition<z.infer<typeof WriteInput>> = {
  name: 'write_file',
  description: 'Create or overwrite a text file in the workspace.',
  input: WriteInput,
  risk: 'medium',
  idempotent: true,
  run: (args, ctx) =>
    guarded(ctx, args.path, async (abs, rel) => {
      await mkdir(dirname(abs), { recursive: true })
      await writeRegular(abs, args.path, args.content)
      ctx.emit('info', `wrote ${rel} (${Buffer.byteLength(args.content)} bytes)\n`)
      return { ok: true, exitCode: null, summary: `wrote ${rel}`, excerpt: '' }
    })
}

const ReplaceInput = z.object({ path: PathArg, find: z.string().min(1), replace: z.string() }).strict()
export const replaceInFileTool: ToolDefinition<z.infer<typeof ReplaceInput>> = {
  name: 'replace_in_file',
  description: 'Replace the first occurrence of `find` with `replace` in a workspace file.',
  input: ReplaceInput,
  risk: 'medium',
  // Re-running after success finds nothing to replace and says so: safe to retry.
  idempotent: true,
  run: (args, ctx) =>
    guarded(ctx, args.path, async (abs) => {
      const { handle, size } = await openRegular(abs, args.path)
      let text: string
      try {
        if (size > MAX_EDIT) throw new Error(`${args.path} is ${size} bytes, more than replace_in_file edits (${MAX_EDIT}); use write_file or a command`)
        text = (await readHead(handle, size)).toString('utf8')
      } finally {
        await handle.close()
      }
      const at = text.indexOf(args.find)
      if (at < 0) return { ok: false, exitCode: null, summary: `"${args.find}" not found in ${args.path}`, excerpt: '' }
      await writeRegular(abs, args.path, text.slice(0, at) + args.replace + text.slice(at + args.find.length))
      ctx.emit('info', `patched ${args.path}: ${JSON.stringify(args.find)} → ${JSON.stringify(args.replace)}\n`)
      return { ok: true, exitCode: null, summary: `patched ${args.path}`, excerpt: '' }
    })
}
