/**
 * Promotion suggestions: a tool whose last N operator decisions were all unedited approvals, whose
 * runs rarely failed, and that no allow rule already covers, gets a suggested allow rule, narrowed
 * to what those calls share. Only suggested: the operator adds the rule, or does not. Pure.
 */
import type { PromotionEvidence, PromotionSettings, PromotionSuggestion, WithheldPromotion } from '../../../shared/track-record'
import type { CallRecord } from './calls'
import { primaryArgument } from '../../../shared/approval-rules'
import { narrowRulePattern } from '../../../shared/rule-narrowing'
import { approvalStreak, operatorDecisions } from './tally'

/**
 * Whether an allow rule for this spec already covers the tool (no args: every call of it) or
 * this call. Wired to the approval rule set; the default covers nothing.
 */
export type CoveredByAllow = (specName: string, tool: string, args?: Record<string, unknown>) => boolean

export const nothingCovered: CoveredByAllow = () => false

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
export function promotionFor(specName: string, tool: string, calls: CallRecord[], settings: PromotionSettings, covered: CoveredByAllow): Promotions {
  const none: Promotions = { suggestions: [], withheld: [] }
  const streak = approvalStreak(operatorDecisions(calls))
  if (streak.length < settings.streak) return none
  if (covered(specName, tool) || streak.every((c) => covered(specName, tool, c.args))) return none
  const evidence = evidenceOf(streak)
  const said = record(tool, evidence)
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

/** Suggestions for every tool of a spec, from its call records. */
export function promotions(specName: string, byTool: Map<string, CallRecord[]>, settings: PromotionSettings, covered: CoveredByAllow = nothingCovered): Promotions {
  const out: Promotions = { suggestions: [], withheld: [] }
  for (const [tool, calls] of byTool) {
    const p = promotionFor(specName, tool, calls, settings, covered)
    out.suggestions.push(...p.suggestions)
    out.withheld.push(...p.withheld)
  }
  return out
}
