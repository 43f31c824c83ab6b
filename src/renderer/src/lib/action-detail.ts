/**
 * A tool call in full, for the approval card and the iteration pane: a command with its options,
 * an edit as a line diff, a write as its content; anything else as JSON.
 */
import type { Action } from '../../../shared/spec'
import { countLines, relPath, str, type Args } from './actions'
import { diffText, type TextLine } from './diff'

/** What the detail view draws for one call. */
export type ActionDetail =
  | { kind: 'command'; command: string; description: string; notes: string[] }
  | { kind: 'edit'; file: string; edits: { lines: TextLine[]; note: string }[] }
  | { kind: 'write'; file: string; content: string; lines: number }
  | { kind: 'json'; args: Args }

function edit(before: unknown, after: unknown, note: string): { lines: TextLine[]; note: string } | null {
  return typeof before === 'string' && typeof after === 'string' ? { lines: diffText(before, after), note } : null
}

function commandDetail(a: Args, timeoutKey: string): ActionDetail | null {
  const command = str(a, 'command')
  if (command === undefined) return null
  const notes: string[] = []
  const timeoutMs = a[timeoutKey]
  if (typeof timeoutMs === 'number') notes.push(`times out after ${timeoutMs / 1000}s`)
  if (a.run_in_background === true) notes.push('runs in the background')
  return { kind: 'command', command, description: str(a, 'description') ?? '', notes }
}

function detailOf(tool: string, a: Args, ws: string | null | undefined): ActionDetail | null {
  switch (tool) {
    case 'Bash':
      return commandDetail(a, 'timeout')
    case 'run_command':
      return commandDetail(a, 'timeoutMs')
    case 'Edit': {
      const e = edit(a.old_string, a.new_string, a.replace_all === true ? 'every occurrence' : '')
      return e && str(a, 'file_path') ? { kind: 'edit', file: relPath(str(a, 'file_path') ?? '', ws), edits: [e] } : null
    }
    case 'MultiEdit': {
      if (!str(a, 'file_path') || !Array.isArray(a.edits)) return null
      const edits = []
      for (const x of a.edits as (Args | null)[]) {
        const e = x && edit(x.old_string, x.new_string, x.replace_all === true ? 'every occurrence' : '')
        if (!e) return null
        edits.push(e)
      }
      return { kind: 'edit', file: relPath(str(a, 'file_path') ?? '', ws), edits }
    }
    case 'replace_in_file': {
      const e = edit(a.find, a.replace, 'first occurrence')
      return e && str(a, 'path') ? { kind: 'edit', file: str(a, 'path') ?? '', edits: [e] } : null
    }
    case 'Write':
    case 'write_file': {
      const file = str(a, tool === 'Write' ? 'file_path' : 'path')
      const content = str(a, 'content')
      return file && content !== undefined ? { kind: 'write', file: relPath(file, ws), content, lines: countLines(content) } : null
    }
    default:
      return null
  }
}

export function describeAction(action: Action, workspace?: string | null): ActionDetail {
  return detailOf(action.tool, action.args, workspace) ?? { kind: 'json', args: action.args }
}
