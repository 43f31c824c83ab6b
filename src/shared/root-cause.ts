/**
 * Why a run failed or stopped for an operator, in one of a few categories, so a fleet can see
 * which failure dominates. Classified when the run escalates or terminates without success.
 */
import { z } from 'zod'

export const RootCauseCategory = z.enum([
  'tool-error',
  'looping',
  'budget',
  'malformed-output',
  'verify-regression',
  'operator-rejection',
  'stalled',
  'guardrail',
  'provider',
  'interrupted',
  'other'
])
export type RootCauseCategory = z.infer<typeof RootCauseCategory>

export const RootCauseSchema = z.object({
  category: RootCauseCategory,
  /** The invariant that stopped the run, when one did. */
  invariant: z.string().nullable().default(null),
  /** The first iteration where something went wrong on the way to this stop (null: none recorded). */
  firstFailingIteration: z.number().int().min(0).nullable().default(null),
  /** One sentence on what points to this category. */
  detail: z.string().max(2000).default('')
})
export type RootCause = z.infer<typeof RootCauseSchema>
