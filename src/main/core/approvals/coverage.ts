/**
 * Whether an allow rule already covers a tool or a call for a spec, so the track record does not
 * suggest a rule the operator already has. The rules are the gate's own: the spec's `approvals` of
 * the newest loop of that spec name, then the rule set's live rules for that spec, matched by the
 * gate's matcher (a deny or ask that also matches wins, as at the gate: then the call is not covered).
 */
import { parseRulePattern } from '../../../shared/approval-rules'
import type { CoveredByAllow } from '../track-record/promotion'
import { specLoops } from '../track-record/spec-loops'
import type { TraceStore } from '../store/trace-store'
import { decidingRule, type CandidateRule } from './match'
import type { ApprovalRuleSet } from './rule-set'
import { specRules } from './spec-rules'

interface SpecRules {
  rules: CandidateRule[]
  workspace: string
}

export function allowCoverage(store: TraceStore, ruleSet: ApprovalRuleSet): CoveredByAllow {
  // A loop's spec rules and workspace never change: folded once per newest loop. The rule set is read each time.
  const ofLoop = new Map<string, SpecRules>()
  const rulesOf = (specName: string): SpecRules => {
    const newest = specLoops(store, specName).live.at(-1)
    let own = newest ? ofLoop.get(newest) : undefined
    if (newest && !own) {
      const state = store.loadState(newest)
      own = { rules: specRules(state.spec.approvals), workspace: state.workspace ?? process.cwd() }
      if (ofLoop.size > 100) ofLoop.clear()
      ofLoop.set(newest, own)
    }
    return { rules: [...(own?.rules ?? []), ...ruleSet.liveFor(specName)], workspace: own?.workspace ?? process.cwd() }
  }
  return (specName, tool, args) => {
    const { rules, workspace } = rulesOf(specName)
    if (args === undefined) {
      // Every call of the tool: an allow of the bare tool, and no deny or ask on it at all.
      const onTool = rules.flatMap((r) => {
        const p = parseRulePattern(r.pattern)
        return p.ok && p.pattern.tool === tool ? [{ effect: r.effect, bare: p.pattern.arg === null }] : []
      })
      return onTool.some((r) => r.effect === 'allow' && r.bare) && onTool.every((r) => r.effect === 'allow')
    }
    return decidingRule({ tool, args }, rules, { workspace })?.effect === 'allow'
  }
}
