/**
 * Contract commands for track records: what each spec's tools did under supervision, and the
 * promotions that record suggests. Spread into the one contract (src/shared/contract.ts);
 * handlers in src/main/core/track-record/handlers.ts.
 */
export const trackRecordCommands = {} as const
