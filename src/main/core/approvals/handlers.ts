/** The approval-rule, autonomy and track-record commands of the contract. */
import type { ApprovalCommandName, Handlers } from '../../../shared/contract'
import type { TraceStore } from '../store/trace-store'
import type { Supervisor } from '../supervisor/supervisor'

export interface ApprovalHandlerDeps {
  store: TraceStore
  supervisor: Supervisor
  clock?: () => number
}

export function approvalHandlers(_deps: ApprovalHandlerDeps): Pick<Handlers, ApprovalCommandName> {
  return {}
}
