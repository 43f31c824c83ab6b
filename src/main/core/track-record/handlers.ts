/** The track-record commands of the contract. */
import type { Handlers, TrackRecordCommandName } from '../../../shared/contract'
import type { TraceStore } from '../store/trace-store'
import { CommandError } from '../supervisor/supervisor'
import type { RulesFor } from './promotion'
import { trackRecord } from './track-record'

export interface TrackRecordHandlerDeps {
  store: TraceStore
  /** The approval rules in force for a spec: calls they already allow, or that an ask or deny decides, are not suggested. */
  rulesFor?: RulesFor
}

export function trackRecordHandlers(deps: TrackRecordHandlerDeps): Pick<Handlers, TrackRecordCommandName> {
  const rulesFor = deps.rulesFor
  return {
    trackRecord: ({ specName, streak }) => trackRecord(deps.store, specName, { settings: { streak }, rulesFor }),
    trackRecordForLoop: ({ loopId, streak }) => {
      const state = deps.store.loadState(loopId)
      if (state.version === 0) throw new CommandError(`no such loop ${loopId}`, 404)
      return trackRecord(deps.store, state.spec.name, { settings: { streak }, rulesFor })
    }
  }
}
