/**
 * The narrowest approval-rule pattern that covers a run of calls, in the rule syntax of the
 * approval gate: `run_command(npm test:*)` (a command and what follows it), `write_file(src/**)`
 * (anything under a directory), or null when the calls share no such pattern.
 */
import { primaryArgument } from '../../../shared/approval-rules'
import { stableJson } from '../../../shared/state'

/** Tools never suggested without a narrowing pattern: one rule for all of them would allow anything. */
export const HIGH_RISK_TOOLS: ReadonlySet<string> = new Set(['run_command', 'Bash'])

const ARGUMENT_CHARS = 200

/** The value of a tool's primary argument in a call (the approval gate's own map), if it is a string. */
function primaryValue(tool: string, args: Record<string, unknown>): string | undefined {
  return primaryArgument(tool)?.names.map((n) => args[n]).find((v): v is string => typeof v === 'string')
}

/** A call's primary argument (a command, a path) or, for other tools, its arguments in short. */
export function argumentSummary(tool: string, args: Record<string, unknown>): string {
  const value = primaryValue(tool, args)
  const text = value ?? stableJson(args)
  return text.length > ARGUMENT_CHARS ? `${text.slice(0, ARGUMENT_CHARS)}…` : text
}

/** Shell syntax that makes a command more than one simple command (a rule never allows those). */
const COMPOUND = /[;&|<>`$()\n\r\\'"*?[\]{}]/

/**
 * The command and its first argument (`npm test` of `npm test -- --watch=false`), or the
 * program alone when that argument is an option (`ls` of `ls -la`). Null for compound commands,
 * leading variable assignments, or anything not separated by single spaces.
 */
export function commandPrefix(command: string): string | null {
  if (COMPOUND.test(command)) return null
  const words = command.split(' ')
  const [program, first] = words
  if (!program || program.includes('=') || /\s/.test(program)) return null
  if (first === '' || (first !== undefined && /\s/.test(first))) return null
  if (first === undefined || first.startsWith('-')) return program
  return `${program} ${first}`
}

/** A relative path inside the workspace, normalised (`./src/../lib/a.ts` → `lib/a.ts`), or null. */
export function workspacePath(path: string): string | null {
  if (path === '' || path.startsWith('/') || path.startsWith('~') || /^[A-Za-z]:/.test(path) || /[*?[\]{}()\\\s]/.test(path)) return null
  const out: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (out.length === 0) return null
      out.pop()
    } else out.push(part)
  }
  return out.length ? out.join('/') : null
}

function commonDirectory(paths: string[]): string[] {
  const dirs = paths.map((p) => p.split('/').slice(0, -1))
  const first = dirs[0] ?? []
  let n = first.length
  for (const d of dirs) {
    let i = 0
    while (i < n && i < d.length && d[i] === first[i]) i++
    n = i
  }
  return first.slice(0, n)
}

/** The narrowest pattern covering every call's primary argument, or null when they share none. */
export function narrowPattern(tool: string, calls: { args: Record<string, unknown> }[]): string | null {
  const kind = primaryArgument(tool)?.kind
  if ((kind !== 'command' && kind !== 'path') || calls.length === 0) return null
  const values = calls.map((c) => primaryValue(tool, c.args))
  if (!values.every((v): v is string => v !== undefined)) return null
  if (kind === 'command') {
    const prefixes = new Set(values.map(commandPrefix))
    const [prefix] = prefixes
    return prefixes.size === 1 && prefix ? `${tool}(${prefix}:*)` : null
  }
  const paths = values.map(workspacePath)
  if (!paths.every((p): p is string => p !== null)) return null
  const dir = commonDirectory(paths)
  return dir.length ? `${tool}(${dir.join('/')}/**)` : null
}
