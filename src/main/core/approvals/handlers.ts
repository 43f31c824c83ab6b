/** The approval-rule commands of the contract, and answering a waiting call. */
import type { ApprovalCommandName, Handlers } from '../../../shared/contract'
import { parseRulePattern } from '../../../shared/approval-rules'
import { summarize } from '../../../shared/summary'
import type { TraceStore } from '../store/trace-store'
import type { Supervisor } from '../supervisor/supervisor'
import { patternMatches } from './match'

export interface ApprovalHandlerDeps {
  store: TraceStore
  supervisor: Supervisor
  clock?: () => number
}

export function approvalHandlers({ supervisor, clock = Date.now }: ApprovalHandlerDeps): Pick<Handlers, ApprovalCommandName> {
  const rules = supervisor.approvalRules
  return {
    listApprovalRules: ({ specName, includeRevoked }) => rules.list({ specName, includeRevoked }),
    addApprovalRule: ({ effect, pattern, scope, why, from }) => rules.add({ effect, pattern, scope, why, by: 'operator', at: clock(), from }),
    revokeApprovalRule: ({ id, why }) => rules.revoke(id, 'operator', why, clock()),
    ruleCoversCall({ loopId, effect, pattern, action }) {
      const state = supervisor.liveState(loopId)
      const parsed = parseRulePattern(pattern)
      return { covers: parsed.ok && patternMatches(parsed.pattern, action, effect, { workspace: state.workspace ?? process.cwd() }) }
    },
    async answerCall({ loopId, callId, ok, answer, expectedVersion }) {
      await supervisor.answerCall(loopId, { callId, ok, answer }, { expectedVersion })
      return summarize(supervisor.liveState(loopId))
    }
  }
}
