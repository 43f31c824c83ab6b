/**
 * Tool calls as an operator reads them in a row: `Bash: npm test`, `Edit math.js`. Covers
 * Claude Code's tools and Andon's own; anything else (an MCP tool, a newer tool, input that does
 * not fit its tool) falls back to its name and compact JSON. The full view is in action-detail.ts.
 */
import type { Action } from '../../../shared/spec'

export type Args = Record<string, unknown>

export const str = (args: Args, key: string): string | undefined => (typeof args[key] === 'string' ? args[key] : undefined)

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}

/** First line only, marked when more follow: a row has one line to give. */
function oneLine(s: string, max = 120): string {
  const lines = s.trim().split('\n')
  return shorten(lines[0], max) + (lines.length > 1 ? ' …' : '')
}

const quote = (s: string, max = 40): string => `"${oneLine(s, max)}"`

/** Claude Code passes absolute paths; inside the loop's workspace the relative path is what matters. */
export function relPath(path: string, workspace?: string | null): string {
  if (!workspace) return path
  const root = workspace.replace(/[/\\]+$/, '')
  if (path === root) return '.'
  for (const sep of ['/', '\\']) if (path.startsWith(root + sep)) return path.slice(root.length + 1)
  return path
}

export function countLines(text: string): number {
  if (text === '') return 0
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** A one-line change reads best inline; a longer one by its size. */
function changeHint(before: string, after: string): string {
  if (!before.includes('\n') && !after.includes('\n')) return `: ${quote(before, 30)} → ${quote(after, 30)}`
  return ` (−${countLines(before)} +${countLines(after)} lines)`
}

type Summarize = (args: Args, ws: string | null | undefined) => string | null

function inPath(path: string | undefined, ws: string | null | undefined): string {
  return path ? ` in ${relPath(path, ws)}` : ''
}

function todoSummary(args: Args): string | null {
  if (!Array.isArray(args.todos)) return null
  const todos = args.todos as ({ status?: unknown; content?: unknown; activeForm?: unknown } | null)[]
  const done = todos.filter((t) => t?.status === 'completed').length
  const now = todos.find((t) => t?.status === 'in_progress')
  const label = now && (typeof now.activeForm === 'string' ? now.activeForm : typeof now.content === 'string' ? now.content : null)
  return `TodoWrite: ${done}/${todos.length} done${label ? `, now: ${quote(label, 60)}` : ''}`
}

const SUMMARIES: Record<string, Summarize> = {
  Bash: (a) => (str(a, 'command') ? `Bash: ${oneLine(str(a, 'command') ?? '')}${a.run_in_background === true ? ' (background)' : ''}` : null),
  Edit: (a, ws) => {
    const file = str(a, 'file_path')
    if (!file) return null
    const hint = typeof a.old_string === 'string' && typeof a.new_string === 'string' ? changeHint(a.old_string, a.new_string) : ''
    return `Edit ${relPath(file, ws)}${a.replace_all === true ? ' (every occurrence)' : ''}${hint}`
  },
  MultiEdit: (a, ws) => {
    const file = str(a, 'file_path')
    return file && Array.isArray(a.edits) ? `MultiEdit ${relPath(file, ws)} (${plural(a.edits.length, 'edit')})` : null
  },
  Write: (a, ws) => {
    const file = str(a, 'file_path')
    const content = str(a, 'content')
    return file && content !== undefined ? `Write ${relPath(file, ws)} (${plural(countLines(content), 'line')})` : null
  },
  Read: (a, ws) => {
    const file = str(a, 'file_path')
    if (!file) return null
    const from = typeof a.offset === 'number' ? a.offset : null
    const limit = typeof a.limit === 'number' ? a.limit : null
    const range = from !== null && limit !== null ? ` (lines ${from}–${from + limit - 1})` : from !== null ? ` (from line ${from})` : limit !== null ? ` (first ${limit} lines)` : ''
    return `Read ${relPath(file, ws)}${range}`
  },
  Glob: (a, ws) => (str(a, 'pattern') ? `Glob ${str(a, 'pattern')}${inPath(str(a, 'path'), ws)}` : null),
  Grep: (a, ws) => {
    const pattern = str(a, 'pattern')
    const glob = str(a, 'glob')
    return pattern !== undefined ? `Grep ${quote(pattern)}${inPath(str(a, 'path'), ws)}${glob ? ` (${glob})` : ''}` : null
  },
  LS: (a, ws) => (str(a, 'path') ? `LS ${relPath(str(a, 'path') ?? '', ws)}` : null),
  NotebookEdit: (a, ws) => (str(a, 'notebook_path') ? `NotebookEdit ${relPath(str(a, 'notebook_path') ?? '', ws)}` : null),
  TodoWrite: todoSummary,
  WebFetch: (a) => (str(a, 'url') ? `WebFetch ${shorten(str(a, 'url') ?? '', 120)}` : null),
  WebSearch: (a) => (str(a, 'query') ? `WebSearch ${quote(str(a, 'query') ?? '', 80)}` : null),
  Task: (a) => agentSummary('Task', a),
  Agent: (a) => agentSummary('Agent', a),
  // Andon's own tools: paths are already relative to the workspace.
  verify: () => 'verify',
  run_command: (a) => (str(a, 'command') ? `run_command: ${oneLine(str(a, 'command') ?? '')}` : null),
  replace_in_file: (a) => {
    const path = str(a, 'path')
    const find = str(a, 'find')
    const replace = str(a, 'replace')
    return path && find !== undefined && replace !== undefined ? `replace_in_file ${path}${changeHint(find, replace)}` : null
  },
  write_file: (a) => (str(a, 'path') && str(a, 'content') !== undefined ? `write_file ${str(a, 'path')} (${plural(countLines(str(a, 'content') ?? ''), 'line')})` : null),
  read_file: (a) => (str(a, 'path') ? `read_file ${str(a, 'path')}` : null),
  github_read_file: (a) => (str(a, 'path') ? `github_read_file ${str(a, 'path')}${ref(a)}${repo(a)}` : null),
  github_ci_status: (a) => `github_ci_status${ref(a)}${repo(a)}`,
  github_open_issue: (a) => (str(a, 'title') ? `github_open_issue ${quote(str(a, 'title') ?? '', 60)}${repo(a)}` : null),
  github_open_pr: (a) => (str(a, 'head') ? `github_open_pr ${str(a, 'head')} → ${str(a, 'base') ?? 'default branch'}${str(a, 'title') ? ` ${quote(str(a, 'title') ?? '', 60)}` : ''}${repo(a)}` : null),
  github_comment: (a) => (typeof a.number === 'number' ? `github_comment #${a.number}${repo(a)}` : null)
}

function agentSummary(tool: string, a: Args): string | null {
  const what = str(a, 'description')
  const who = str(a, 'subagent_type')
  return what ? `${tool}: ${oneLine(what, 80)}${who ? ` (${who})` : ''}` : null
}

const ref = (a: Args): string => (str(a, 'ref') ? ` @${str(a, 'ref')}` : '')
const repo = (a: Args): string => (str(a, 'repo') ? ` in ${str(a, 'repo')}` : '')

/** One line for a row: `Bash: npm test`, `Edit math.js`; unknown tools (MCP, new ones) as name + JSON. */
export function summarizeAction(action: Action | null, workspace?: string | null): string {
  if (!action) return '—'
  const known = Object.hasOwn(SUMMARIES, action.tool) ? SUMMARIES[action.tool](action.args, workspace) : null
  if (known !== null) return known
  const json = JSON.stringify(action.args) ?? ''
  return json === '{}' ? action.tool : `${action.tool} ${shorten(json, 100)}`
}
