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
import { ABSOLUTE_PATH_TOOLS, isSimpleCommand } from '../../../shared/rule-narrowing'
import type { Action } from '../../../shared/spec'
import { deniableCommands, undecidableCommand } from './shell-commands'

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
      return pathCandidates(value, effect, ctx.workspace, ABSOLUTE_PATH_TOOLS.has(tool))
    case 'text':
      return [value]
    default: {
      const never: never = kind
      return never
    }
  }
}

// ── Commands ──


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
