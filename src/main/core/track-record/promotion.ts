/**
 * Promotion suggestions: a tool whose last N operator decisions were all unedited approvals, whose
 * runs rarely failed, and that no allow rule already covers, gets a suggested allow rule, narrowed
 * to what those calls share, unless an ask or deny rule decides them (it would beat the allow). Only suggested: the operator adds the rule, or does not. Pure.
 */
import type { GateRule } from '../../../shared/events'
import type { PromotionEvidence, PromotionSettings, PromotionSuggestion, WithheldPromotion } from '../../../shared/track-record'
import type { CallRecord } from './calls'
import { primaryArgument } from '../../../shared/approval-rules'
import { narrowRulePattern } from '../../../shared/rule-narrowing'
import { approvalStreak, operatorDecisions } from './tally'

/** The approval rules in force for a spec (its own and the rule set's), read once per track record. */
export interface RulesInForce {
  /** The rule that would decide this call at the gate now (deny over ask over allow), or null: the mode decides. */
  decide(tool: string, args: Record<string, unknown>, workspace: string | null): GateRule | null
  /** An allow of the bare tool with no ask or deny on it: every call of the tool already runs unasked. */
  allowsEveryCall(tool: string): boolean
}

export type RulesFor = (specName: string) => RulesInForce

export const noRules: RulesFor = () => ({ decide: () => null, allowsEveryCall: () => false })

export interface Promotions {
  suggestions: PromotionSuggestion[]
  withheld: WithheldPromotion[]
}

function evidenceOf(streak: CallRecord[]): PromotionEvidence {
  const ran = streak.filter((c) => c.outcome === 'ok' || c.outcome === 'failed')
  const times = streak.map((c) => c.decidedAt)
  return {
    approvedUnedited: streak.length,
    ran: ran.length,
    failed: ran.filter((c) => c.outcome === 'failed').length,
    loops: new Set(streak.map((c) => c.loopId)).size,
    since: Math.min(...times),
    until: Math.max(...times)
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

function record(tool: string, e: PromotionEvidence): string {
  const failed = e.ran === 0 ? 'none has finished yet' : `${e.failed} of ${plural(e.ran, 'run')} failed`
  return `The last ${e.approvedUnedited} \`${tool}\` calls were approved unedited (${plural(e.loops, 'loop')}); ${failed}`
}

/** Suggestions for one tool's calls (any order), or why a tool that earned its streak is not suggested. */
export function promotionFor(tool: string, calls: CallRecord[], settings: PromotionSettings, rules: RulesInForce): Promotions {
  const none: Promotions = { suggestions: [], withheld: [] }
  const streak = approvalStreak(operatorDecisions(calls))
  if (streak.length < settings.streak) return none
  const deciding = streak.map((c) => rules.decide(tool, c.args, c.workspace))
  // Already allowed: nothing to suggest.
  if (rules.allowsEveryCall(tool) || deciding.every((r) => r?.effect === 'allow')) return none
  const evidence = evidenceOf(streak)
  const said = record(tool, evidence)
  // An ask or deny rule decides these calls, and it beats any allow: an allow rule would change nothing.
  const blocking = deciding.find((r) => r !== null && r.effect !== 'allow')
  if (blocking && deciding.every((r) => r !== null && r.effect !== 'allow')) {
    const where = blocking.source === 'spec' ? 'in the spec' : `in the rule set (#${blocking.id})`
    const text = `${said}, but the ${blocking.effect} rule \`${blocking.pattern}\` ${where} decides them, and ${blocking.effect} beats allow: an allow rule would not take effect. Revoke or narrow that rule to let them run unasked.`
    return { suggestions: [], withheld: [{ tool, why: 'decided-by-rule', text, evidence }] }
  }
  if (evidence.ran > 0 && evidence.failed / evidence.ran > settings.maxFailureShare) {
    const share = Math.round(settings.maxFailureShare * 100)
    return { suggestions: [], withheld: [{ tool, why: 'failures', text: `${said}: more than ${share}% failed, so allowing them is not suggested.`, evidence }] }
  }
  // The same narrowing as the inbox's "always allow this": never the bare tool for a command or path tool.
  const narrow = narrowRulePattern(tool, streak)
  if (narrow === null) {
    const text =
      primaryArgument(tool)?.kind === 'path'
        ? `${said}, but they share no file or directory inside the workspace, and allowing every \`${tool}\` call would allow any file: not suggested. Allow a narrower pattern from one of its approval cards instead.`
        : `${said}, but they share no command prefix that names what runs, and allowing every \`${tool}\` call would allow any command: not suggested. Allow a narrower pattern from one of its approval cards instead.`
    return { suggestions: [], withheld: [{ tool, why: 'no-narrow-pattern', text, evidence }] }
  }
  if (narrow === tool && streak.some((c) => c.risk === 'high')) {
    const text = `${said}, but some were high-risk calls with nothing in common to narrow a rule to: not suggested. Allow a narrower pattern from one of its approval cards instead.`
    return { suggestions: [], withheld: [{ tool, why: 'no-narrow-pattern', text, evidence }] }
  }
  const pattern = narrow
  return { suggestions: [{ tool, effect: 'allow', pattern, text: `${said}. Allow \`${pattern}\` without asking?`, evidence }], withheld: [] }
}

/** Suggestions for every tool of a spec, from its call records, under the rules in force for it. */
export function promotions(byTool: Map<string, CallRecord[]>, settings: PromotionSettings, rules: RulesInForce = noRules('')): Promotions {
  const out: Promotions = { suggestions: [], withheld: [] }
  for (const [tool, calls] of byTool) {
    const p = promotionFor(tool, calls, settings, rules)
    out.suggestions.push(...p.suggestions)
    out.withheld.push(...p.withheld)
  }
  return out
}
