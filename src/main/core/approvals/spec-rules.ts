/** A spec's own approval rules (`approvals: { allow, ask, deny }`) as the gate matches them. */
import type { ApprovalRulesSpec } from '../../../shared/spec'
import type { CandidateRule } from './match'

export function specRules(approvals: ApprovalRulesSpec | undefined): CandidateRule[] {
  if (!approvals) return []
  return (['deny', 'ask', 'allow'] as const).flatMap((effect) => approvals[effect].map((pattern) => ({ effect, pattern, source: 'spec' as const })))
}
