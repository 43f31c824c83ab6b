/** Rule patterns and rules in words, for the inbox card, the rules screen and the timeline. */
import { parseRulePattern, type RuleEffect } from '../../../shared/approval-rules'
import type { RuleScope } from '../../../shared/approvals-contract'
import type { GateRule } from '../../../shared/events'

const EFFECT_WORDS: Record<RuleEffect, string> = {
  allow: 'run without asking, whatever the autonomy mode',
  ask: 'always wait for the operator',
  deny: 'be refused, never run'
}

/** Which calls a pattern matches, or null when it does not parse (the parser's error says why). */
export function patternCovers(pattern: string): string | null {
  const parsed = parseRulePattern(pattern)
  if (!parsed.ok) return null
  const { tool, arg } = parsed.pattern
  if (!arg) return `every ${tool} call`
  const what = `${tool} calls whose ${arg.name}`
  const spec = arg.spec
  const simple = arg.kind === 'command' ? ' (one simple command: anything with ; & | ` $( > < in it falls through to the mode, except for a deny)' : ''
  const relative = arg.kind === 'path' ? ' (relative to the workspace; never a path outside it, for an allow)' : ''
  if (spec.endsWith(':*')) return `${what} is "${spec.slice(0, -2)}" or starts with "${spec.slice(0, -2)} "${simple}`
  if (spec.includes('*')) return `${what} matches the glob ${spec}${arg.kind === 'path' ? ': * within one folder, ** across folders' : ''}${relative}${simple}`
  return `${what} is exactly "${spec}"${relative}${simple}`
}

export function scopeWords(scope: RuleScope): string {
  return scope === 'all' ? 'in every loop' : `in loops of the spec ${scope.spec}`
}

/** "Every run_command call whose command starts with … will run without asking, in loops of spec x." */
export function ruleSentence(effect: RuleEffect, pattern: string, scope: RuleScope): string | null {
  const covers = patternCovers(pattern)
  if (!covers) return null
  return `${covers[0].toUpperCase()}${covers.slice(1)} will ${EFFECT_WORDS[effect]}, ${scopeWords(scope)}, from the next proposed call.`
}

/** How a rule decided a call, as the timeline says it: "allowed by rule run_command(npm test:*)". */
export function gateRuleWords(rule: GateRule): string {
  const verb = rule.effect === 'allow' ? 'allowed' : rule.effect === 'ask' ? 'asked' : 'denied'
  const from = rule.source === 'spec' ? ' (the spec)' : rule.id !== undefined ? ` (#${rule.id})` : ''
  return `${verb} by rule ${rule.pattern}${from}`
}
