/**
 * Plain name lists, without zod: the schemas build their enums from them (z.enum(list)) and the
 * renderer's first page reads them directly, so it does not load zod to show a select or a filter.
 */
export const AUTONOMY_MODES = ['suggest-only', 'approve-every-action', 'approve-risky', 'autonomous'] as const

export const TERMINATION_REASONS = ['SUCCESS', 'MAX_ITERATIONS', 'BUDGET_EXHAUSTED', 'STALLED', 'FATAL_ERROR', 'CANCELLED'] as const

export function isAutonomyMode(name: string): name is (typeof AUTONOMY_MODES)[number] {
  return (AUTONOMY_MODES as readonly string[]).includes(name)
}
