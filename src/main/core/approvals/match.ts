/**
 * Matching a call against approval rules. Precedence is Claude Code's: any matching `deny`
 * refuses, else any matching `ask` asks the operator, else any matching `allow` runs the call
 * without asking; no match leaves the call to the autonomy mode.
 *
 * A pattern is not a shell parser, so matching leans to the safe side: an `allow` or `ask` on a
 * command matches only one simple command (no operators, substitutions or redirections), while a
 * `deny` matches if any part of a compound command matches, under the wrappers and assignments
 * that would hide its program. Paths are normalised against the workspace first.
 */
import { isAbsolute, relative, resolve } from 'node:path'
import { RE2JS } from 're2js'
import { parseRulePattern, primaryArgument, type ArgumentKind, type RuleEffect, type RulePattern } from '../../../shared/approval-rules'
import type { GateRule } from '../../../shared/events'
import type { Action } from '../../../shared/spec'

export interface CandidateRule {
  effect: RuleEffect
  pattern: string
  source: GateRule['source']
  id?: number
  /** A rule-set rule scoped to one spec by name (not to every loop). */
  specScoped?: boolean
}

export interface MatchContext {
  /** The loop's workspace: relative paths are read from here. */
  workspace: string
}

const EFFECT_ORDER: readonly RuleEffect[] = ['deny', 'ask', 'allow']

/**
 * The rule that decides this call (deny over ask over allow), or null when none matches. A
 * command a deny rule cannot read (see undecidableCommand) is asked about, naming that rule.
 */
export function decidingRule(action: Action, rules: readonly CandidateRule[], ctx: MatchContext): GateRule | null {
  for (const effect of EFFECT_ORDER) {
    for (const rule of rules) {
      if (rule.effect !== effect) continue
      const parsed = parsedPattern(rule.pattern)
      if (parsed && patternMatches(parsed, action, effect, ctx)) return gateRule(rule, effect)
    }
    if (effect === 'deny') {
      const unsure = unreadableByDeny(action, rules)
      if (unsure) return unsure
    }
  }
  return null
}

const gateRule = (rule: CandidateRule, effect: RuleEffect, reason?: string): GateRule => ({
  effect,
  pattern: rule.pattern,
  source: rule.source,
  ...(rule.id === undefined ? {} : { id: rule.id }),
  ...(reason === undefined ? {} : { reason })
})

/** Fail safe: a deny rule on this tool's command that cannot tell what the command runs turns the call into an ask. */
function unreadableByDeny(action: Action, rules: readonly CandidateRule[]): GateRule | null {
  for (const rule of rules) {
    if (rule.effect !== 'deny') continue
    const arg = parsedPattern(rule.pattern)?.arg
    if (!arg || arg.kind !== 'command' || parsedPattern(rule.pattern)!.tool !== action.tool) continue
    const value = action.args[arg.name]
    const why = typeof value === 'string' ? undecidableCommand(value) : null
    if (why) return gateRule(rule, 'ask', `cannot tell whether deny ${rule.pattern} applies: ${why}`.slice(0, 2000))
  }
  return null
}

const parsedCache = new Map<string, RulePattern | null>()

function parsedPattern(text: string): RulePattern | null {
  let hit = parsedCache.get(text)
  if (hit === undefined) {
    const p = parseRulePattern(text)
    hit = p.ok ? p.pattern : null
    if (parsedCache.size > 2000) parsedCache.clear()
    parsedCache.set(text, hit)
  }
  return hit
}

/** Does one pattern match this call, for a rule of this effect? */
export function patternMatches(pattern: RulePattern, action: Action, effect: RuleEffect, ctx: MatchContext): boolean {
  if (!toolCovered(pattern.tool, action.tool, effect)) return false
  if (!pattern.arg) return true
  const arg = pattern.arg
  const raw = argumentOf(pattern, action)
  // Grep and Glob read a whole folder (the workspace when no path is given): a deny or ask on a path inside it covers the search.
  if (arg.kind === 'path' && effect !== 'allow' && SEARCH_TOOLS.has(action.tool)) {
    const folder = typeof raw === 'string' && raw.length > 0 ? raw : ctx.workspace
    if (searchReaches(arg.spec, folder, ctx.workspace)) return true
  }
  if (raw === undefined || raw === null) return false
  const value = typeof raw === 'string' ? raw : JSON.stringify(raw)
  return candidates(value, arg.kind, effect, ctx, action.tool).some((v) => specMatches(arg.spec, v, arg.kind))
}

/** Claude Code's rule families: a Read rule is about every tool that reads files, an Edit rule every tool that edits them. */
const FAMILIES: Readonly<Record<string, ReadonlySet<string>>> = {
  Read: new Set(['Grep', 'Glob', 'NotebookRead']),
  Edit: new Set(['Write', 'MultiEdit', 'NotebookEdit'])
}
const SEARCH_TOOLS = new Set(['Grep', 'Glob'])
const MCP_SERVER = /^mcp__[A-Za-z0-9-]+$/

/**
 * Whether a pattern's tool covers a call's tool: the same tool; `mcp__<server>` every tool of that
 * server; and, for a deny or an ask (they only restrict), a Read or Edit rule its whole family.
 */
export function toolCovered(patternTool: string, tool: string, effect: RuleEffect): boolean {
  if (patternTool === tool) return true
  if (MCP_SERVER.test(patternTool) && tool.startsWith(`${patternTool}__`)) return true
  return effect !== 'allow' && (FAMILIES[patternTool]?.has(tool) ?? false)
}

/** The argument a pattern reads from a call: for a family member, that tool's own primary argument. */
function argumentOf(pattern: RulePattern, action: Action): unknown {
  const arg = pattern.arg!
  if (pattern.tool === action.tool || !primaryArgument(pattern.tool)?.names.includes(arg.name)) return action.args[arg.name]
  return primaryArgument(action.tool)?.names.map((n) => action.args[n]).find((v) => v !== undefined && v !== null)
}

/**
 * Whether searching `folder` reads what a path spec names: the folder is the spec's fixed leading
 * folder (`secrets` of `secrets/**`, `/etc` of `/etc/*.conf`) or one above it.
 */
function searchReaches(spec: string, folder: string, workspace: string): boolean {
  const literal = spec.endsWith(':*') ? spec.slice(0, -2) : spec
  const star = literal.indexOf('*')
  const fixed = star < 0 ? literal : literal.slice(0, literal.lastIndexOf('/', star) + 1)
  const denied = resolve(workspace, fixed === '' ? '.' : fixed)
  const rel = relative(resolve(workspace, folder), denied)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** The strings an argument is compared as, for this effect (none: this effect never matches it). */
function candidates(value: string, kind: ArgumentKind, effect: RuleEffect, ctx: MatchContext, tool: string): string[] {
  switch (kind) {
    case 'command':
      return effect === 'deny' ? deniableCommands(value) : isSimpleCommand(value) ? [value.trim()] : []
    case 'path':
      return pathCandidates(value, effect, ctx.workspace, CLAUDE_CODE_PATH_TOOLS.has(tool))
    case 'text':
      return [value]
    default: {
      const never: never = kind
      return never
    }
  }
}

// ── Commands ──

/** Operators, substitutions, redirections and line breaks: a command with any of them is not one simple command. */
const COMPOUND = /[;&|`<>\n\r\u2028\u2029]|\$\(|\$\{/

export function isSimpleCommand(command: string): boolean {
  return !COMPOUND.test(command)
}

/** Programs that run the rest of their arguments as a command (`eval` and `exec` included). */
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'command', 'builtin', 'exec', 'eval', 'nice', 'nohup', 'time', 'timeout', 'xargs', 'stdbuf', 'ionice', 'setsid', 'chronic'])
/** Options of those wrappers that take a value as the next word (`env -S` does not: its value is the command). */
const OPTION_WITH_VALUE: Readonly<Record<string, ReadonlySet<string>>> = {
  env: new Set(['-u', '--unset', '-C', '--chdir']),
  exec: new Set(['-a']),
  sudo: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T']),
  doas: new Set(['-u', '-C']),
  nice: new Set(['-n', '--adjustment']),
  timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
  xargs: new Set(['-I', '-i', '-n', '-P', '-L', '-l', '-s', '-d', '-E', '-e', '-a', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--replace']),
  stdbuf: new Set(['-i', '-o', '-e']),
  ionice: new Set(['-c', '-n', '-p'])
}
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'busybox'])
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/
/** Splits a command into the commands a shell could run from it (over-splitting only adds deny matches). */
const SEPARATORS = /;|&&?|\|\|?|\n|\r|\u2028|\u2029|`|\$\(|\$\{|<\(|>\(|[(){}]|[<>]/
/** The operators alone: each part keeps its program word whole (`r$()m`), to tell whether it is literal. */
const OPERATORS = /;|&&?|\|\|?|\n|\r|\u2028|\u2029/
/** Operators and substitutions, not redirections: a redirection's target is not a program. */
const SUBSTITUTIONS = /;|&&?|\|\|?|\n|\r|\u2028|\u2029|`|\$\(|\$\{|<\(|>\(|[(){}]/
/** Substitutions that expand to nothing: `r$()m` runs `rm`. */
const EMPTY_EXPANSION = /\$\(\s*\)|\$\{\s*\}|``/g

const words = (part: string): string[] => part.replace(/["'\\]/g, '').trim().split(/[ \t]+/).filter(Boolean)
const baseName = (word: string): string => word.slice(word.lastIndexOf('/') + 1)

/**
 * Every simple command a deny rule should see in `command`: each part between operators, with
 * quotes and backslashes removed, leading `VAR=x` assignments and wrappers (`env`, `sudo`,
 * `timeout 5`, `xargs`, `eval`, `exec -a x`…) stripped, `sh -c '…'` (and `-lc`, `-ec`, `-c --`)
 * opened, empty substitutions removed, and the program also by its base name.
 */
export function deniableCommands(command: string, depth = 0): string[] {
  const out = new Set<string>([command.trim()])
  const emptied = command.replace(EMPTY_EXPANSION, '')
  if (emptied !== command && depth < 3) for (const c of deniableCommands(emptied, depth + 1)) out.add(c)
  for (const part of command.split(SEPARATORS)) {
    for (const layer of unwrapped(words(part))) {
      out.add(layer.join(' '))
      const base = baseName(layer[0])
      if (base !== layer[0]) out.add([base, ...layer.slice(1)].join(' '))
      // `bash -lc "rm -rf /"`: the string after -c is a command of its own.
      const inner = shellCommandString(layer)
      if (inner && depth < 3) for (const c of deniableCommands(inner, depth + 1)) out.add(c)
    }
  }
  out.delete('')
  return [...out]
}

/**
 * The command string a shell runs with `-c` (in any option cluster: `-c`, `-lc`, `-ec`; after
 * `--`), `''` for `-c` with nothing after it, or null: not a shell, or no `-c`.
 */
function shellCommandString(layer: readonly string[]): string | null {
  if (!SHELLS.has(baseName(layer[0]))) return null
  const { commandFlag, operands } = shellArgs(layer)
  return commandFlag ? operands.join(' ') : null
}

function shellArgs(layer: readonly string[]): { commandFlag: boolean; stdinFlag: boolean; operands: string[] } {
  let commandFlag = false
  let stdinFlag = false
  let i = 1
  while (i < layer.length && /^[-+]/.test(layer[i])) {
    const w = layer[i++]
    if (w === '--' || w === '-') break
    if (/^[-+][oO]$/.test(w)) i++ // `-o pipefail`: the next word is the option's name
    else if (/^-[A-Za-z]+$/.test(w)) {
      commandFlag ||= w.includes('c')
      stdinFlag ||= w.includes('s')
    }
  }
  return { commandFlag, stdinFlag, operands: layer.slice(i) }
}

/** The word lists a simple command runs: itself, and without each layer of assignments and wrappers. */
function unwrapped(input: string[]): string[][] {
  const out: string[][] = []
  let rest = input
  for (let guard = 0; rest.length > 0 && guard < 20; guard++) {
    out.push(rest)
    let i = 0
    while (i < rest.length && ASSIGNMENT.test(rest[i])) i++
    const program = rest[i] === undefined ? undefined : baseName(rest[i])
    if (i > 0 && program !== undefined && !WRAPPERS.has(program)) {
      rest = rest.slice(i)
      continue
    }
    if (program === undefined || !WRAPPERS.has(program)) break
    i++
    const takesValue = OPTION_WITH_VALUE[program] ?? new Set<string>()
    while (i < rest.length && (rest[i].startsWith('-') || ASSIGNMENT.test(rest[i]))) {
      // `env -S'rm -rf /'`, `env --split-string=…`: the rest of the word is the command's first word.
      const split = program === 'env' ? /^(?:-S|--split-string=)(.+)$/.exec(rest[i]) : null
      if (split) {
        rest = [...rest.slice(0, i), split[1], ...rest.slice(i + 1)]
        break
      }
      i += takesValue.has(rest[i]) ? 2 : 1
    }
    // `timeout 5 cmd`, `nice 10 cmd`: the duration comes before the command.
    if ((program === 'timeout' || program === 'nice') && i < rest.length && /^[\d.]+[smhd]?$/.test(rest[i])) i++
    rest = rest.slice(i)
  }
  return out
}

/** Glob characters in a program word (`/bin/r?`, `r[m]`); `[` and `[[` alone are the test programs. */
const GLOB_WORD = /[?*]|\[.*\]/

/**
 * Why a deny rule cannot tell what `command` runs, or null: a program word that is not literal
 * text (a substitution, a variable, a glob), `eval`/`exec` building the command at run time, or a
 * shell reading its commands from a pipe or stdin. The gate then asks instead of guessing.
 */
export function undecidableCommand(command: string, depth = 0): string | null {
  // Whole parts between operators keep a program word whole (`r$()m`, `/bin/r?`); parts split at
  // substitutions too show the programs inside them (`echo $($CMD)`).
  const whole = command.split(OPERATORS)
  const parts = [...whole.map((p) => [p, true] as const), ...command.split(SUBSTITUTIONS).map((p) => [p, false] as const)]
  for (const [part, isWhole] of parts) {
    for (const layer of unwrapped(words(part))) {
      const program = layer.find((w) => !ASSIGNMENT.test(w))
      if (program === undefined) continue
      const base = baseName(program)
      if (program.includes('$') || program.includes('`')) return `its program "${program.slice(0, 80)}" is only known when the shell expands it`
      if (isWhole && GLOB_WORD.test(program)) return `its program "${program.slice(0, 80)}" is a glob the shell expands`
      if (base === 'eval' || base === 'exec') return `${base} builds the command it runs when it runs`
      if (!SHELLS.has(base)) continue
      const { commandFlag, stdinFlag, operands } = shellArgs(layer.slice(layer.indexOf(program)))
      if (commandFlag && operands.length === 0) return `${base} -c takes its command from elsewhere`
      if (!commandFlag && (stdinFlag || operands.length === 0 || operands[0] === '-' || operands[0].startsWith('<'))) return `${base} reads its commands from a pipe or stdin`
      if (commandFlag && depth < 3) {
        const inner = undecidableCommand(operands.join(' '), depth + 1)
        if (inner) return inner
      }
    }
  }
  return null
}

// ── Paths ──

/** Claude Code names files by absolute path: one inside the workspace is read as relative to it. */
const CLAUDE_CODE_PATH_TOOLS = new Set(['Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'NotebookRead', 'Glob', 'Grep'])

/**
 * A path as a rule sees it: relative to the workspace after `..` is resolved. An absolute path
 * (for Andon's own tools) or one escaping the workspace never matches an allow; ask and deny see
 * it as its resolved absolute path (and, inside the workspace, its relative path too).
 */
function pathCandidates(value: string, effect: RuleEffect, workspace: string, absoluteInsideIsRelative: boolean): string[] {
  const abs = resolve(workspace, value)
  const rel = relative(workspace, abs)
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
  const relPath = inside ? rel.split('\\').join('/') : null
  if (effect === 'allow') return relPath !== null && (!isAbsolute(value) || absoluteInsideIsRelative) ? [relPath] : []
  return relPath !== null ? [relPath, abs] : [abs]
}

// ── Argument specs ──

/** Does an argument spec (`prefix:*`, a glob, or exact text) match `value`? */
export function specMatches(spec: string, value: string, kind: ArgumentKind): boolean {
  if (spec.endsWith(':*')) {
    const prefix = spec.slice(0, -2)
    return value === prefix || value.startsWith(`${prefix} `)
  }
  if (!spec.includes('*')) return value === spec
  return globRegex(spec, kind === 'path').matches(value)
}

const globCache = new Map<string, RE2JS>()

/**
 * A glob as an RE2 expression (linear time whatever the pattern or the input): `*` is any run of
 * characters (within one path segment for paths), `**` any run across segments, `**\/` any
 * number of leading folders; everything else is literal.
 */
function globRegex(spec: string, path: boolean): RE2JS {
  const key = `${path ? 'p' : 't'}${spec}`
  let re = globCache.get(key)
  if (re) return re
  let source = ''
  for (let i = 0; i < spec.length; ) {
    if (spec.startsWith('**/', i) && path) {
      source += '(?:.*/)?'
      i += 3
    } else if (spec.startsWith('**', i)) {
      source += '.*'
      i += 2
    } else if (spec[i] === '*') {
      source += path ? '[^/]*' : '.*'
      i += 1
    } else {
      // Every other character is literal: written as its code point, so none is read as syntax.
      const cp = spec.codePointAt(i)!
      source += /[A-Za-z0-9/_ -]/.test(spec[i]) ? spec[i] : `\\x{${cp.toString(16)}}`
      i += cp > 0xffff ? 2 : 1
    }
  }
  re = RE2JS.compile(`(?s)${source}`)
  if (globCache.size > 2000) globCache.clear()
  globCache.set(key, re)
  return re
}
