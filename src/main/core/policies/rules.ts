/**
 * The `rules` policy: a deterministic reconciler. Rules are tried in order against the last
 * observation and the facts in working memory; the first that matches proposes its action.
 * No tokens, no randomness: the same state always yields the same action. A call the operator
 * rejected since the last observation is never proposed again: the next matching rule is.
 */
import type { Rule } from '../../../shared/spec'
import { actionKey, type LoopState } from '../../../shared/state'
import type { RulesPolicySpec } from '../../../shared/spec'
import type { z } from 'zod'
import { PolicyError, type Policy } from './policy'
import { compilePattern, patternProblem } from '../patterns/user-pattern'
import { thinkTime } from './think-time'

export function ruleMatches(rule: Rule, state: LoopState): boolean {
  const w = rule.when
  const obs = state.lastObservation
  if (w.start !== undefined && w.start !== (obs === null)) return false
  if (w.lastTool !== undefined && obs?.tool !== w.lastTool) return false
  if (w.lastFailed !== undefined && (obs === null || obs.ok === w.lastFailed)) return false
  if (w.outputMatches !== undefined && !(obs && compilePattern(w.outputMatches, OUTPUT).test(obs.excerpt))) return false
  if (w.factMatches !== undefined) {
    const re = compilePattern(w.factMatches, TEXT)
    if (!state.facts.some((f) => re.test(f))) return false
  }
  if (w.rejectionMatches !== undefined) {
    const re = compilePattern(w.rejectionMatches, TEXT)
    if (!state.rejections.some((r) => re.test(r.reason))) return false
  }
  return true
}

const OUTPUT = { multiline: true }
const TEXT = { ignoreCase: true }

/** Each rule condition that is not a usable pattern, by field path (checked when a spec is validated). */
export function rulePatternProblems(rules: Rule[]): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = []
  rules.forEach((r, i) => {
    for (const [field, flags] of [['outputMatches', OUTPUT], ['factMatches', TEXT], ['rejectionMatches', TEXT]] as const) {
      const source = r.when[field]
      const problem = source === undefined ? null : patternProblem(source, flags)
      if (problem) out.push({ path: `policy.rules.${i}.when.${field}`, message: problem })
    }
  })
  return out
}


export function createRulesPolicy(spec: z.infer<typeof RulesPolicySpec>): Policy {
  const [problem] = rulePatternProblems(spec.rules)
  if (problem) throw new PolicyError('config', `${problem.path}: not a usable regular expression: ${problem.message}`)
  return {
    kind: 'rules',
    local: true,
    async decide({ state, signal }) {
      await thinkTime(spec.delayMs, signal)
      const rejected = new Set(state.rejections.map((r) => actionKey(r.action)))
      const rule = spec.rules.find((r) => ruleMatches(r, state) && !rejected.has(actionKey(r.then)))
      if (!rule) {
        const reasons = state.rejections.map((r) => `"${r.reason}"`).join(', ')
        throw new PolicyError('no-action', reasons ? `no rule matches the current state but the calls the operator rejected (${reasons})` : 'no rule matches the current state')
      }
      return {
        action: rule.then,
        subgoal: rule.subgoal ?? rule.name,
        confidence: rule.confidence,
        rationale: `rule "${rule.name}" matched`,
        prompt: { rule: rule.name },
        usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }
      }
    }
  }
}
