/**
 * The approval rules in force for a spec, as the track record needs them: which rule would decide
 * a call now (deny over ask over allow, by the gate's own matcher), so it suggests no rule the
 * operator already has and no allow an ask or deny would override. The rules are the spec's
 * `approvals` of the newest loop of that spec name and the rule set's live rules for that spec,
 * read once per track record.
 */
import { parseRulePattern } from '../../../shared/approval-rules'
import type { RulesFor } from '../track-record/promotion'
import { specLoops } from '../track-record/spec-loops'
import type { TraceStore } from '../store/trace-store'
import { decidingRule, toolCovered } from './match'
import type { ApprovalRuleSet } from './rule-set'
import { specRules } from './spec-rules'

export function rulesInForce(store: TraceStore, ruleSet: ApprovalRuleSet): RulesFor {
  return (specName) => {
    const newest = specLoops(store, specName).live.at(-1)
    const state = newest ? store.loadState(newest.loopId) : null
    const rules = [...specRules(state?.spec.approvals), ...ruleSet.liveFor(specName)]
    const fallbackWorkspace = state?.workspace ?? process.cwd()
    const onTool = (tool: string) =>
      rules.flatMap((r) => {
        const p = parseRulePattern(r.pattern)
        return p.ok && toolCovered(p.pattern.tool, tool, r.effect) ? [{ effect: r.effect, bare: p.pattern.arg === null }] : []
      })
    return {
      decide: (tool, args, workspace) => (rules.length ? decidingRule({ tool, args }, rules, { workspace: workspace ?? fallbackWorkspace }) : null),
      allowsEveryCall: (tool) => {
        const on = onTool(tool)
        return on.some((r) => r.effect === 'allow' && r.bare) && on.every((r) => r.effect === 'allow')
      }
    }
  }
}
