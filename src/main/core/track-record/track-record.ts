/** A spec's track record, read from the store: counts per tool, recent decisions and promotion suggestions. */
import { DEFAULT_PROMOTION_SETTINGS, type PromotionSettings, type TrackRecord } from '../../../shared/track-record'
import type { TraceStore } from '../store/trace-store'
import { callEvents, loopWorkspaces } from './call-events'
import { callRecords } from './calls'
import { noRules, promotions, type RulesFor } from './promotion'
import { specLoops } from './spec-loops'
import { byTool, decisionEntry, operatorDecisions, RECENT_OVERALL, toolRecord } from './tally'

/** How many of a spec's most recent proposals a track record reads: the work stays bounded however long the history. */
export const TRACK_RECORD_CALL_LIMIT = 1000

export interface TrackRecordOptions {
  settings?: Partial<PromotionSettings>
  /** The approval rules in force for a spec: read once per record. */
  rulesFor?: RulesFor
  limit?: number
}

export function trackRecord(store: TraceStore, specName: string, opts: TrackRecordOptions = {}): TrackRecord {
  const settings = { ...DEFAULT_PROMOTION_SETTINGS, ...opts.settings }
  const limit = opts.limit ?? TRACK_RECORD_CALL_LIMIT
  const loops = specLoops(store, specName)
  const read = callEvents(store, loops.live, limit + 1)
  const all = callRecords(read.events, loopWorkspaces(store, new Set(read.events.map((e) => e.loopId))))
  // One proposal more than the limit was read only to learn whether older ones exist.
  const truncated = all.length > limit
  const calls = truncated ? all.slice(all.length - limit) : all
  const tools = byTool(calls)
  const { suggestions, withheld } = promotions(tools, settings, (opts.rulesFor ?? noRules)(specName))
  return {
    specName,
    tools: [...tools].map(([tool, list]) => toolRecord(tool, list)),
    recentDecisions: operatorDecisions(calls).slice(0, RECENT_OVERALL).map(decisionEntry),
    suggestions,
    withheld,
    settings,
    window: { calls: calls.length, limit, truncated, unreadable: read.unreadable },
    loops: { counted: loops.live.length, importedExcluded: loops.imported.length, evalExcluded: loops.evalRuns.length }
  }
}
