/**
 * Contract commands for track records: what each spec's tools did under supervision, and the
 * promotions that record suggests. Spread into the one contract (src/shared/contract.ts);
 * handlers in src/main/core/track-record/handlers.ts.
 */
import { z } from 'zod'
import { command } from './command'
import { LoopId } from './ids'
import { DEFAULT_PROMOTION_SETTINGS, MIN_PROMOTION_STREAK, type TrackRecord } from './track-record'

const SpecName = z.string().min(1).max(120)
/** How many unedited approvals in a row make a suggestion. */
const Streak = z.number().int().min(MIN_PROMOTION_STREAK).max(1000).default(DEFAULT_PROMOTION_SETTINGS.streak)

export const trackRecordCommands = {
  trackRecord: command<TrackRecord>()(
    z.object({ specName: SpecName, streak: Streak }).strict(),
    'The track record of every loop run from the spec with this name (imported loops left out): per tool, proposals, calls run without asking, the operator’s approvals, edits, rejections and answers, outcomes, recent decisions, and the allow rules it suggests (only suggested: nothing is promoted until an operator adds the rule). Reads the spec’s most recent 1,000 calls.'
  ),
  trackRecordForLoop: command<TrackRecord>()(
    z.object({ loopId: LoopId, streak: Streak }).strict(),
    'The track record of the spec this loop was started from (see trackRecord).'
  )
} as const
