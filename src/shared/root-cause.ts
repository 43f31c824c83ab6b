/**
 * Why a run failed or stopped for an operator, in one of a few categories, so a fleet can see
 * which failure dominates. Classified when the run escalates or terminates without success.
 */
import { z } from 'zod'

/**
 * The categories, in the order the classifier tries them (the most specific first):
 * - `interrupted`: Andon stopped while a call ran and its outcome is unknown.
 * - `malformed-output`: the model's reply was not a usable call (malformed, cut off at maxTokens,
 *   no call at all, an unknown tool, input that does not fit the tool).
 * - `provider`: the model provider failed (rate limits, server errors, timeouts) past the retries.
 * - `budget`: tokens, cost, running time, the daily budget or the iteration cap ran out.
 * - `guardrail`: one of the spec's own invariants failed, or its invariants or deny rules refused
 *   most of the calls of a stalled run.
 * - `looping`: the same call again and again.
 * - `operator-rejection`: the operator's rejections make up most of the stalled tail.
 * - `verify-regression`: a verify that had passed fails again.
 * - `tool-error`: tool calls kept failing (or the spec's tool servers are down).
 * - `stalled`: no progress, or confidence under the floor, with none of the above to explain it.
 * - `other`: anything else (an engine error, a replay that diverged, a policy misconfigured).
 */
export const RootCauseCategory = z.enum([
  'interrupted',
  'malformed-output',
  'provider',
  'budget',
  'guardrail',
  'looping',
  'operator-rejection',
  'verify-regression',
  'tool-error',
  'stalled',
  'other'
])
export type RootCauseCategory = z.infer<typeof RootCauseCategory>

/** Short labels for screens and reports. */
export const ROOT_CAUSE_LABELS: Record<RootCauseCategory, string> = {
  interrupted: 'Interrupted',
  'malformed-output': 'Malformed model output',
  provider: 'Provider failure',
  budget: 'Budget',
  guardrail: 'Guardrail',
  looping: 'Looping',
  'operator-rejection': 'Operator rejection',
  'verify-regression': 'Verify regression',
  'tool-error': 'Tool error',
  stalled: 'Stalled',
  other: 'Other'
}

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
