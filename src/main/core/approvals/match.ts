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
import { parseRulePattern, type ArgumentKind, type RuleEffect, type RulePattern } from '../../../shared/approval-rules'
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

/** The rule that decides this call (deny over ask over allow), or null when none matches. */
export function decidingRule(action: Action, rules: readonly CandidateRule[], ctx: MatchContext): GateRule | null {
  for (const effect of EFFECT_ORDER) {
    for (const rule of rules) {
      if (rule.effect !== effect) continue
      const parsed = parsedPattern(rule.pattern)
      if (parsed && patternMatches(parsed, action, effect, ctx)) {
        return { effect, pattern: rule.pattern, source: rule.source, ...(rule.id === undefined ? {} : { id: rule.id }) }
      }
    }
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
  if (pattern.tool !== action.tool) return false
  if (!pattern.arg) return true
  const raw = action.args[pattern.arg.name]
  if (raw === undefined || raw === null) return false
  const value = typeof raw === 'string' ? raw : JSON.stringify(raw)
  return candidates(value, pattern.arg.kind, effect, ctx, action.tool).some((v) => specMatches(pattern.arg!.spec, v, pattern.arg!.kind))
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

/** Programs that run the rest of their arguments as a command. */
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'command', 'builtin', 'exec', 'nice', 'nohup', 'time', 'timeout', 'xargs', 'stdbuf', 'ionice', 'setsid', 'chronic'])
/** Options of those wrappers that take a value as the next word. */
const OPTION_WITH_VALUE: Readonly<Record<string, ReadonlySet<string>>> = {
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  sudo: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T']),
  doas: new Set(['-u', '-C']),
  nice: new Set(['-n', '--adjustment']),
  timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
  xargs: new Set(['-I', '-i', '-n', '-P', '-L', '-l', '-s', '-d', '-E', '-e', '-a', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--replace']),
  stdbuf: new Set(['-i', '-o', '-e']),
  ionice: new Set(['-c', '-n', '-p'])
}
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'fish'])
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/
/** Splits a command into the commands a shell could run from it (over-splitting only adds deny matches). */
const SEPARATORS = /;|&&?|\|\|?|\n|\r|\u2028|\u2029|`|\$\(|\$\{|<\(|>\(|[(){}]|[<>]/

/**
 * Every simple command a deny rule should see in `command`: each part between operators, with
 * quotes and backslashes removed, leading `VAR=x` assignments and wrappers (`env`, `sudo`,
 * `timeout 5`, `xargs`…) stripped, `sh -c '…'` opened, and the program also by its base name.
 */
export function deniableCommands(command: string, depth = 0): string[] {
  const out = new Set<string>([command.trim()])
  for (const part of command.split(SEPARATORS)) {
    const words = part.replace(/["'\\]/g, '').trim().split(/[ \t]+/).filter(Boolean)
    for (const words2 of unwrapped(words)) {
      const cmd = words2.join(' ')
      out.add(cmd)
      const base = words2[0].slice(words2[0].lastIndexOf('/') + 1)
      if (base !== words2[0]) out.add([base, ...words2.slice(1)].join(' '))
      // `bash -c "rm -rf /"`: the string after -c is a command of its own.
      const c = words2.indexOf('-c')
      if (SHELLS.has(base) && c > 0 && depth < 3) for (const inner of deniableCommands(words2.slice(c + 1).join(' '), depth + 1)) out.add(inner)
    }
  }
  out.delete('')
  return [...out]
}

/** The word lists a simple command runs: itself, and without each layer of assignments and wrappers. */
function unwrapped(words: string[]): string[][] {
  const out: string[][] = []
  let rest = words
  for (let guard = 0; rest.length > 0 && guard < 20; guard++) {
    out.push(rest)
    let i = 0
    while (i < rest.length && ASSIGNMENT.test(rest[i])) i++
    const program = rest[i]?.slice(rest[i].lastIndexOf('/') + 1)
    if (i > 0 && program !== undefined && !WRAPPERS.has(program)) {
      rest = rest.slice(i)
      continue
    }
    if (program === undefined || !WRAPPERS.has(program)) break
    i++
    const takesValue = OPTION_WITH_VALUE[program] ?? new Set<string>()
    while (i < rest.length && (rest[i].startsWith('-') || ASSIGNMENT.test(rest[i]))) i += takesValue.has(rest[i]) ? 2 : 1
    // `timeout 5 cmd`, `nice 10 cmd`: the duration comes before the command.
    if ((program === 'timeout' || program === 'nice') && i < rest.length && /^[\d.]+[smhd]?$/.test(rest[i])) i++
    rest = rest.slice(i)
  }
  return out
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
