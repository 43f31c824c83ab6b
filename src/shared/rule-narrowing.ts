/**
 * The narrowest approval-rule pattern that covers a set of calls of one tool: the inbox's
 * "always allow this" default (one call) and the track record's promotion suggestion (a streak of
 * calls) both come from here. Pure (no Node imports): paths are normalised as POSIX strings.
 *
 * It errs narrow: an exact path or command when the calls agree, a directory (`dir/**`) or a
 * whole-word command prefix (`npm test:*`) when they share one, and null (the operator writes the
 * pattern) rather than the bare tool for a command or path tool, which would allow anything.
 */
import { primaryArgument } from './approval-rules'

export interface NarrowCall {
  args: Record<string, unknown>
  /** The loop's workspace: an absolute path inside it is read as relative to it (null: unknown). */
  workspace: string | null
}

/** Claude Code names files by absolute path; the gate reads one inside the workspace as relative (match.ts). */
export const ABSOLUTE_PATH_TOOLS: ReadonlySet<string> = new Set(['Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'NotebookRead', 'Glob', 'Grep'])

const MAX_VALUE = 500

/**
 * The pattern for these calls, or null when none is narrow enough. A tool with no command or
 * path argument has no narrower form than itself: the tool alone (the caller judges its risk).
 */
export function narrowRulePattern(tool: string, calls: readonly NarrowCall[]): string | null {
  const primary = primaryArgument(tool)
  if (calls.length === 0) return null
  if (!primary) return tool
  const values = calls.map((c) => primary.names.map((n) => c.args[n]).find((v): v is string => typeof v === 'string'))
  if (!values.every((v): v is string => v !== undefined && v.length > 0 && v.length <= MAX_VALUE)) {
    return primary.kind === 'text' ? tool : null
  }
  switch (primary.kind) {
    case 'command': {
      const spec = commandSpec(values)
      return spec === null ? null : `${tool}(${spec})`
    }
    case 'path': {
      const paths = values.map((v, i) => workspaceRelative(v, calls[i].workspace, ABSOLUTE_PATH_TOOLS.has(tool)))
      if (!paths.every((p): p is string => p !== null)) return null
      const spec = pathSpec(paths)
      return spec === null ? null : `${tool}(${spec})`
    }
    case 'text':
      // A URL or other text: the exact value when every call had it, else the tool (no safe way to narrow text).
      return values.every((v) => v === values[0]) && literal(values[0]) ? `${tool}(${values[0]})` : tool
    default: {
      const never: never = primary.kind
      return never
    }
  }
}

/** Safe to write inside a pattern as exact text: no glob star (`*` widens), no control characters. */
function literal(value: string): boolean {
  return !value.includes('*') && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(value)
}

// ── Paths ──

/**
 * A path as an allow rule sees it: relative to the workspace, `.` and `..` resolved; null for
 * one outside it, an absolute path the gate would not read as relative, or a path a pattern
 * cannot state exactly (a glob star, a backslash, `~`).
 */
export function workspaceRelative(path: string, workspace: string | null, absoluteInsideIsRelative: boolean): string | null {
  if (!literal(path) || path.includes('\\') || path.startsWith('~') || /^[A-Za-z]:/.test(path) || path.endsWith(':')) return null
  if (!path.startsWith('/')) return normalise(path.split('/'))
  if (!absoluteInsideIsRelative || !workspace || !workspace.startsWith('/')) return null
  const abs = normalise(path.split('/'), true)
  const ws = normalise(workspace.split('/'), true)
  if (abs === null || ws === null) return null
  const prefix = ws === '' ? '' : `${ws}/`
  return abs.startsWith(prefix) && abs.length > prefix.length ? abs.slice(prefix.length) : null
}

/** Segments joined without `.`, `..` or empty parts; null when `..` climbs above the start. */
function normalise(parts: string[], absolute = false): string | null {
  const out: string[] = []
  for (const part of parts) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (out.length === 0) return null
      out.pop()
    } else out.push(part)
  }
  return out.length || absolute ? out.join('/') : null
}

/** One path: itself. Several: the directory they all sit in (`src/**`), never the whole workspace. */
function pathSpec(paths: string[]): string | null {
  if (paths.every((p) => p === paths[0])) return paths[0]
  const dirs = paths.map((p) => p.split('/').slice(0, -1))
  let n = dirs[0].length
  for (const d of dirs) {
    let i = 0
    while (i < n && i < d.length && d[i] === dirs[0][i]) i++
    n = i
  }
  return n > 0 ? `${dirs[0].slice(0, n).join('/')}/**` : null
}

// ── Commands ──

/** Operators, substitutions, redirections and line breaks: a command with any of them is not one simple command. */
const COMPOUND = /[;&|`<>\n\r\u2028\u2029]|\$\(|\$\{/

/** One simple command: the only kind an allow or ask rule on a command can match, or a suggestion can name. */
export function isSimpleCommand(command: string): boolean {
  return !COMPOUND.test(command)
}
/** Shell syntax that must not be cut through by a prefix (quotes, expansions, globs, escapes). */
const SHELL_SYNTAX = /["'$\\*?[\]{}()~!#]/

/** Programs that run code given on their command line or in a script: a prefix must name the script or module. */
const INTERPRETERS = new Set(['python', 'python2', 'python3', 'node', 'nodejs', 'ruby', 'perl', 'php', 'sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'fish', 'pwsh', 'powershell', 'lua', 'Rscript', 'osascript'])
/** Runners of another package or program: a prefix must name what they run (`npx -y x`, `uv run pytest`). */
const RUNNERS = new Set(['npx', 'bunx', 'pnpx', 'uvx', 'pipx', 'uv', 'deno', 'bun', 'npm', 'pnpm', 'yarn', 'poetry', 'pdm', 'hatch', 'pipenv', 'cargo', 'go', 'dotnet', 'java'])
/** Runners whose first word is the package they run (`npx x`), not a subcommand. */
const PACKAGE_RUNNERS = new Set(['npx', 'bunx', 'pnpx', 'uvx'])
/** Subcommands of a runner after which comes the program it runs; `eval` takes code itself. */
const RUN_SUBCOMMANDS = new Set(['run', 'exec', 'x', 'dlx', 'tool'])
/** Flags that take no value and change nothing about what runs: the only options allowed before a script or package. */
const PLAIN_FLAGS = new Set(['-y', '--yes', '-q', '--quiet', '--silent', '-u', '-B', '--no-install', '--offline'])
/** Programs that run the rest of their words as a command (match.ts unwraps the same for deny). */
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'command', 'builtin', 'exec', 'nice', 'nohup', 'time', 'timeout', 'xargs', 'stdbuf', 'ionice', 'setsid', 'chronic', 'watch'])

/**
 * Several commands: the longest prefix of whole words they share, as `prefix:*`; the same
 * command every time: itself. Null when a command is compound, or the shared prefix would let
 * a different program or arbitrary code run.
 */
function commandSpec(commands: string[]): string | null {
  const trimmed = commands.map((c) => c.trim())
  if (trimmed.some((c) => !isSimpleCommand(c) || !literal(c))) return null
  if (trimmed.every((c) => c === trimmed[0])) return trimmed[0]
  const split = trimmed.map((c) => c.split(' '))
  if (split.some((words) => words.some((w) => w === '' || /\s/.test(w)))) return null
  let n = split[0].length
  for (const words of split) {
    let i = 0
    while (i < n && i < words.length && words[i] === split[0][i]) i++
    n = i
  }
  const prefix = split[0].slice(0, n)
  return safePrefix(prefix, false) ? `${prefix.join(' ')}:*` : null
}

const isOption = (w: string) => w.startsWith('-')
const baseName = (w: string) => w.slice(w.lastIndexOf('/') + 1)

/**
 * Where the script, module or package an interpreter or runner runs is named in `rest` (the
 * words after the program), or -1: only value-less flags may come before it, and `-m module`.
 */
function target(rest: string[]): number {
  let i = 0
  while (i < rest.length && PLAIN_FLAGS.has(rest[i])) i++
  if (rest[i] === '-m') return i + 1 < rest.length && !isOption(rest[i + 1]) ? i + 1 : -1
  return i < rest.length && !isOption(rest[i]) ? i : -1
}

/**
 * Whether `words:*` allows only what these words name: a program and an argument that is not an
 * option (`git status`, not `git` or `rm -rf`); for an interpreter, its script or module
 * (`python -m pytest`, never `python` or `python -c`); for a runner or wrapper, what it runs,
 * judged again (`npx -y x`, `uv run pytest`, not `uv run` or `sudo rm`). `nested`: the words
 * follow a runner, which has already named a program, so a program alone is enough.
 */
function safePrefix(words: string[], nested: boolean): boolean {
  if (words.length === 0 || words.some((w) => SHELL_SYNTAX.test(w))) return false
  const program = baseName(words[0])
  const rest = words.slice(1)
  if (WRAPPERS.has(program)) {
    // `env A=1 cmd`, `timeout 5 cmd`: assignments and a duration, then the command; any option could take a value.
    const i = rest.findIndex((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) && !/^[\d.]+[smhd]?$/.test(w))
    return i >= 0 && !isOption(rest[i]) && safePrefix(rest.slice(i), false)
  }
  if (INTERPRETERS.has(program)) return target(rest) >= 0
  if (RUNNERS.has(program)) {
    const i = target(rest)
    if (i < 0) return false
    const named = baseName(rest[i])
    if (RUN_SUBCOMMANDS.has(named) && !PACKAGE_RUNNERS.has(program)) return safePrefix(rest.slice(i + 1), true)
    if (named === 'eval') return false
    return INTERPRETERS.has(named) || RUNNERS.has(named) || WRAPPERS.has(named) ? safePrefix(rest.slice(i), true) : true
  }
  return nested || rest.some((w) => !isOption(w))
}
