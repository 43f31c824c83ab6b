/**
 * Claude Code's file edits, replayed into a fork's fresh workspace like Andon's own file tools:
 * Edit (one or every occurrence), MultiEdit and Write, with the path taken relative to the folder
 * the edit was made in. What Claude Code changed through Bash cannot be replayed (the fork review says so).
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { dirname, isAbsolute, relative } from 'node:path'
import { resolveInWorkspace } from '../tools/files'

export const AGENT_EDIT_TOOLS = new Set(['Edit', 'MultiEdit', 'Write'])

interface Edit {
  old_string: string
  new_string: string
  replace_all?: boolean
}

function applyEdit(text: string, e: Edit): string | null {
  if (!text.includes(e.old_string)) return null
  return e.replace_all ? text.split(e.old_string).join(e.new_string) : text.replace(e.old_string, () => e.new_string)
}

/** Apply one recorded Claude Code edit made in `from` to the same file in `dest`; false when it cannot be. */
export async function replayAgentEdit(dest: string, from: string, tool: string, args: Record<string, unknown>): Promise<boolean> {
  const path = args.file_path
  if (typeof path !== 'string') return false
  const rel = isAbsolute(path) ? relative(from, path) : path
  if (rel.startsWith('..') || isAbsolute(rel)) return false
  let target: string
  try {
    target = await resolveInWorkspace(dest, rel)
  } catch {
    return false
  }
  if (tool === 'Write' && typeof args.content === 'string') {
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, args.content)
    return true
  }
  const edits: Edit[] = tool === 'MultiEdit' && Array.isArray(args.edits) ? (args.edits as Edit[]) : [args as unknown as Edit]
  let text = await readFile(target, 'utf8').catch(() => null)
  for (const e of edits) {
    if (text === null || typeof e.old_string !== 'string' || typeof e.new_string !== 'string') return false
    text = applyEdit(text, e)
  }
  if (text === null) return false
  await writeFile(target, text)
  return true
}
