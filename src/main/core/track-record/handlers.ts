/** The track-record commands of the contract. */
import type { Handlers, TrackRecordCommandName } from '../../../shared/contract'
import type { TraceStore } from '../store/trace-store'

export interface TrackRecordHandlerDeps {
  store: TraceStore
}

export function trackRecordHandlers(_deps: TrackRecordHandlerDeps): Pick<Handlers, TrackRecordCommandName> {
  return {}
}
