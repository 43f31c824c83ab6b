/**
 * Contract commands for eval suites and the validation gate. Spread into the one contract
 * (src/shared/contract.ts); handlers in src/main/core/eval/handlers.ts.
 */
export const evalCommands = {} as const
