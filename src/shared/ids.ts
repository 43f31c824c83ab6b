/** Identifiers the contract's commands take, defined once for every command group. */
import { z } from 'zod'

/** A loop id as the core makes them (`loop-…`): word characters and dashes only. */
export const LoopId = z.string().min(1).max(100).regex(/^[\w-]+$/, 'not a loop id')
