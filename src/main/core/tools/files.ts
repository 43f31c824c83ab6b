/**
 * File tools confined to the loop's workspace: a path that resolves outside it (.., absolute
 * paths, symlinks pointing out) is refused before anything is read or written.
 */
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { z } from 'zod'
import type { ToolContext, ToolDefinition, ToolResult } from './tool'

const MAX_READ = 1024 * 1024

export class WorkspacePathError extends Error {}

/** Resolve `path` inside `workspace`, following symlinks of the parts that exist. */
export async function resolveInWorkspace(workspace: string, path: string): Promise<string> {
  if (isAbsolute(path)) throw new WorkspacePathError(`path must be relative to the workspace: ${path}`)
  const root = await realpath(workspace)
  const target = resolve(root, path)
  const inside = (p: string) => p === root || p.startsWith(root + sep)
  if (!inside(target)) throw new WorkspacePathError(`path is outside the workspace: ${path}`)
  // Follow the longest existing prefix: a symlink inside may point outside.
  let probe = target
  for (;;) {
    try {
      const real = await realpath(probe)
      if (!inside(real)) throw new WorkspacePathError(`path leads outside the workspace: ${path}`)
      break
    } catch (err) {
      if (err instanceof WorkspacePathError) throw err
      const parent = dirname(probe)
      if (parent === probe) break
      probe = parent
    }
  }
  return target
}

function refused(err: unknown): ToolResult {
  return { ok: false, exitCode: null, summary: (err as Error).message, excerpt: '' }
}

async function guarded(ctx: ToolContext, path: string, body: (abs: string) => Promise<ToolResult>): Promise<ToolResult> {
  let abs: string
  try {
    abs = await resolveInWorkspace(ctx.workspace, path)
  } catch (err) {
    return refused(err)
  }
  try {
    return await body(abs)
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
      const buf = await readFile(abs)
      const text = new TextDecoder('utf-8').decode(buf.subarray(0, MAX_READ))
      ctx.emit('stdout', text)
      const note = buf.byteLength > MAX_READ ? ` (first ${MAX_READ} of ${buf.byteLength} bytes)` : ''
      return { ok: true, exitCode: null, summary: `read ${args.path}${note}`, excerpt: text.slice(-4000), outputBytes: buf.byteLength, truncated: note !== '' }
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
    guarded(ctx, args.path, async (abs) => {
      await mkdir(dirname(abs), { recursive: true })
      await writeFile(abs, args.content)
      const rel = relative(ctx.workspace, abs)
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
      const text = await readFile(abs, 'utf8')
      const at = text.indexOf(args.find)
      if (at < 0) return { ok: false, exitCode: null, summary: `"${args.find}" not found in ${args.path}`, excerpt: '' }
      await writeFile(abs, text.slice(0, at) + args.replace + text.slice(at + args.find.length))
      ctx.emit('info', `patched ${args.path}: ${JSON.stringify(args.find)} → ${JSON.stringify(args.replace)}\n`)
      return { ok: true, exitCode: null, summary: `patched ${args.path}`, excerpt: '' }
    })
}
