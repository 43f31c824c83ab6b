/** The approval-rule commands of the contract, and answering a waiting call. */
import type { ApprovalCommandName, Handlers } from '../../../shared/contract'
import { summarize } from '../../../shared/summary'
import type { TraceStore } from '../store/trace-store'
import type { Supervisor } from '../supervisor/supervisor'

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
    async answerCall({ loopId, callId, ok, answer, expectedVersion }) {
      await supervisor.answerCall(loopId, { callId, ok, answer }, { expectedVersion })
      return summarize(supervisor.liveState(loopId))
    }
  }
}
