/** The track-record commands of the contract. */
import type { Handlers, TrackRecordCommandName } from '../../../shared/contract'
import type { TraceStore } from '../store/trace-store'
import { CommandError } from '../supervisor/supervisor'
import { nothingCovered, type CoveredByAllow } from './promotion'
import { trackRecord } from './track-record'

export interface TrackRecordHandlerDeps {
  store: TraceStore
  /** Whether an allow rule already covers a tool or call for a spec: those are not suggested again. */
  coveredByAllow?: CoveredByAllow
}

export function trackRecordHandlers(deps: TrackRecordHandlerDeps): Pick<Handlers, TrackRecordCommandName> {
  const coveredByAllow = deps.coveredByAllow ?? nothingCovered
  return {
    trackRecord: ({ specName, streak }) => trackRecord(deps.store, specName, { settings: { streak }, coveredByAllow }),
    trackRecordForLoop: ({ loopId, streak }) => {
      const state = deps.store.loadState(loopId)
      if (state.version === 0) throw new CommandError(`no such loop ${loopId}`, 404)
      return trackRecord(deps.store, state.spec.name, { settings: { streak }, coveredByAllow })
    }
  }
}
