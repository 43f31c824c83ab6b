/**
 * What a file edit (write_file, replace_in_file) would change, read before the operator approves
 * it: the same path confinement as the tools (no `..`, absolute path or symlink leading out; only
 * regular files), a size cap, and undecodable bytes reported instead of shown as a diff.
 */
import { diff } from '../lazy-packages'
import type { ActionPreview } from '../../../shared/preview'
import type { Action } from '../../../shared/spec'
import type { LoopState } from '../../../shared/state'
import { CommandRefused } from '../commands/commands'
import { openRegular, readHead, replaceInFileTool, resolveInWorkspace, writeFileTool } from './files'
import { lstat } from 'node:fs/promises'

/**
 * The diff runs on the core's only thread, so it is kept small: past this size (the file, or the
 * text it would become) the operator is told the size instead of shown a diff.
 */
export const MAX_PREVIEW_BYTES = 256 * 1024
/** A diff needing more changed lines than this, or more time, is abandoned and the preview says so. */
export const MAX_DIFF_CHANGED_LINES = 2000
const DIFF_TIMEOUT_MS = 100

class Unavailable extends Error {}

/** The file's text, '' when it does not exist yet; refused outside the workspace, past the cap or when not UTF-8. */
async function currentText(workspace: string, path: string): Promise<{ text: string; exists: boolean }> {
  const abs = await resolveInWorkspace(workspace, path)
  const exists = await lstat(abs).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return false
      throw err
    }
  )
  if (!exists) return { text: '', exists }
  const { handle, size } = await openRegular(abs, path)
  try {
    if (size > MAX_PREVIEW_BYTES) throw new Unavailable(`${path} is ${size} bytes, more than a preview shows (${MAX_PREVIEW_BYTES})`)
    const bytes = await readHead(handle, size)
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), exists }
    } catch {
      throw new Unavailable(`${path} is not UTF-8 text (${size} bytes): no line diff to show`)
    }
  } finally {
    await handle.close()
  }
}

function diffOf(path: string, before: string, after: string, created: boolean): ActionPreview {
  if (before === after && !created) return { kind: 'unchanged', path, message: `${path} would stay as it is` }
  const afterBytes = Buffer.byteLength(after)
  if (afterBytes > MAX_PREVIEW_BYTES) return { kind: 'unavailable', path, message: `${path} would be ${afterBytes} bytes, more than a preview shows (${MAX_PREVIEW_BYTES})` }
  const patch = diff().structuredPatch(path, path, before, after, undefined, undefined, { context: 3, maxEditLength: MAX_DIFF_CHANGED_LINES, timeout: DIFF_TIMEOUT_MS })
  if (!patch) {
    return { kind: 'unavailable', path, message: `too many changes in ${path} to show as a diff (a preview stops at ${MAX_DIFF_CHANGED_LINES} changed lines or ${DIFF_TIMEOUT_MS} ms)` }
  }
  const count = (mark: string) => patch.hunks.reduce((n, h) => n + h.lines.filter((l) => l.startsWith(mark)).length, 0)
  return { kind: 'diff', path, created, hunks: patch.hunks, added: count('+'), removed: count('-') }
}

async function previewWrite(workspace: string, args: Record<string, unknown>): Promise<ActionPreview> {
  const parsed = writeFileTool.input.safeParse(args)
  if (!parsed.success) return { kind: 'unavailable', path: null, message: `write_file args: ${parsed.error.issues.map((i) => i.message).join('; ')}` }
  const { path, content } = parsed.data
  const { text, exists } = await currentText(workspace, path)
  return diffOf(path, text, content, !exists)
}

async function previewReplace(workspace: string, args: Record<string, unknown>): Promise<ActionPreview> {
  const parsed = replaceInFileTool.input.safeParse(args)
  if (!parsed.success) return { kind: 'unavailable', path: null, message: `replace_in_file args: ${parsed.error.issues.map((i) => i.message).join('; ')}` }
  const { path, find, replace } = parsed.data
  const { text, exists } = await currentText(workspace, path)
  if (!exists) return { kind: 'would-fail', path, message: `${path} does not exist: the call would fail and change nothing` }
  const at = text.indexOf(find)
  if (at < 0) return { kind: 'would-fail', path, message: `the text to find is not in ${path}: the call would fail and change nothing` }
  return diffOf(path, text, text.slice(0, at) + replace + text.slice(at + find.length), false)
}

/** The preview of `action` in `workspace`: a diff for a file edit, `none` for any other tool. */
export async function previewFileEdit(workspace: string, action: Action): Promise<ActionPreview> {
  const run = action.tool === writeFileTool.name ? previewWrite : action.tool === replaceInFileTool.name ? previewReplace : null
  if (!run) return { kind: 'none' }
  try {
    return await run(workspace, action.args)
  } catch (err) {
    const path = typeof action.args.path === 'string' ? action.args.path : null
    return { kind: 'unavailable', path, message: (err as Error).message }
  }
}

/**
 * Only the call a loop is waiting on (its args possibly edited) is previewed, and never for an
 * imported loop: its workspace path came with the bundle, so reading there could reach any file.
 */
export function checkPreviewable(state: LoopState, action: Action): void {
  if (state.readOnly) throw new CommandRefused(`loop ${state.loopId} was imported and is read-only: its workspace is not read for a preview`)
  const pending = state.status === 'awaiting-approval' ? state.pendingCall : null
  if (!pending || pending.approved !== null) throw new CommandRefused(`loop ${state.loopId} has no call waiting for approval: only a pending call is previewed`)
  if (action.tool !== pending.action.tool) {
    throw new CommandRefused(`loop ${state.loopId} waits to run ${pending.action.tool}, not ${action.tool}: only the pending call is previewed`, 400)
  }
}
