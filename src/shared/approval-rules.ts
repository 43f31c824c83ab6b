/**
 * Approval rule patterns, in the style of Claude Code's permission rules: `tool` (every call of
 * the tool), `tool(spec)` (the tool's primary argument matches `spec`) or `tool(arg=spec)` (the
 * named argument matches). A spec is exact, `prefix:*` (the argument is `prefix` or starts with
 * `prefix` and a space), or a glob (`*`, and `**` for paths). One parser for the spec file, the
 * rule set and the contract; the matcher is in src/main/core/approvals/.
 */
import { narrowRulePattern } from './rule-narrowing'
import type { Action } from './spec'

export type RuleEffect = 'allow' | 'ask' | 'deny'

/** How an argument is compared: a shell command, a workspace path, or plain text. */
export type ArgumentKind = 'command' | 'path' | 'text'

export interface RulePattern {
  tool: string
  /** null: every call of the tool. */
  arg: { name: string; kind: ArgumentKind; spec: string } | null
}

/** The argument each tool's bare `tool(spec)` pattern matches, and how it is compared. */
const PRIMARY: Readonly<Record<string, { names: readonly string[]; kind: ArgumentKind }>> = {
  run_command: { names: ['command'], kind: 'command' },
  read_file: { names: ['path'], kind: 'path' },
  write_file: { names: ['path'], kind: 'path' },
  replace_in_file: { names: ['path'], kind: 'path' },
  // Claude Code's tools (policy claude-code).
  Bash: { names: ['command'], kind: 'command' },
  Read: { names: ['file_path'], kind: 'path' },
  Write: { names: ['file_path'], kind: 'path' },
  Edit: { names: ['file_path'], kind: 'path' },
  MultiEdit: { names: ['file_path'], kind: 'path' },
  NotebookEdit: { names: ['notebook_path', 'file_path'], kind: 'path' },
  NotebookRead: { names: ['notebook_path', 'file_path'], kind: 'path' },
  Glob: { names: ['path'], kind: 'path' },
  Grep: { names: ['path'], kind: 'path' },
  WebFetch: { names: ['url'], kind: 'text' }
}

/** The primary argument of a tool (null: the tool has none; name the argument, `tool(arg=spec)`). */
export function primaryArgument(tool: string): { names: readonly string[]; kind: ArgumentKind } | null {
  return PRIMARY[tool] ?? null
}

/** The kind of a named argument: the primary argument's kind when it is that one, else plain text. */
function kindOf(tool: string, name: string): ArgumentKind {
  const primary = PRIMARY[tool]
  return primary && primary.names.includes(name) ? primary.kind : 'text'
}

const TOOL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/
export const RULE_PATTERN_MAX = 1000

export type ParsedRulePattern = { ok: true; pattern: RulePattern } | { ok: false; error: string }

/** Parse a rule pattern; the error names the pattern and says what is wrong with it. */
export function parseRulePattern(text: string): ParsedRulePattern {
  const bad = (why: string): ParsedRulePattern => ({ ok: false, error: `approval rule ${JSON.stringify(text.slice(0, 200))}: ${why}` })
  if (text.length === 0) return bad('empty; write a tool name, or tool(argument pattern)')
  if (text.length > RULE_PATTERN_MAX) return bad(`longer than ${RULE_PATTERN_MAX} characters`)
  const open = text.indexOf('(')
  const tool = open < 0 ? text : text.slice(0, open)
  if (!TOOL_NAME.test(tool)) return bad(`"${tool.slice(0, 100)}" is not a tool name (letters, digits, _ . - only), as in run_command or run_command(npm test:*)`)
  if (open < 0) return { ok: true, pattern: { tool, arg: null } }
  if (!text.endsWith(')')) return bad('an argument pattern ends with ")", as in run_command(npm test:*)')
  const inner = text.slice(open + 1, -1)
  const named = /^([A-Za-z_][A-Za-z0-9_-]*)=/.exec(inner)
  const name = named ? named[1] : (PRIMARY[tool]?.names[0] ?? null)
  const spec = named ? inner.slice(named[0].length) : inner
  if (name === null) return bad(`${tool} has no primary argument: name one, as in ${tool}(argument=pattern), or give the tool alone`)
  if (!ARG_NAME.test(name)) return bad(`"${name}" is not an argument name`)
  if (spec.length === 0) return bad('the argument pattern is empty; give the tool alone to match every call')
  const colonStar = spec.indexOf(':*')
  if (colonStar >= 0 && colonStar !== spec.length - 2) return bad('":*" (prefix match) may only end the pattern, as in npm test:*')
  if (spec === ':*') return bad('":*" needs a prefix before it, as in npm test:*')
  return { ok: true, pattern: { tool, arg: { name, kind: kindOf(tool, name), spec } } }
}

/** The error of a pattern that does not parse, or null. */
export function rulePatternProblem(text: string): string | null {
  const parsed = parseRulePattern(text)
  return parsed.ok ? null : parsed.error
}

/**
 * The pattern an operator most likely means by "always allow this" for a call, shown as the
 * default in the inbox: the narrowest that covers it (rule-narrowing.ts, shared with the track
 * record's suggestions): the exact command, the exact path relative to the loop's `workspace`,
 * or the tool when it has no command or path argument. Null when no pattern is narrow enough (a
 * compound command, a path outside the workspace): the operator writes one.
 */
export function suggestRulePattern(action: Action, workspace: string | null = null): string | null {
  return narrowRulePattern(action.tool, [{ args: action.args, workspace }])
}
