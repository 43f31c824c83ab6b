/**
 * Contract commands for approval rules, autonomy and track records. Spread into the one
 * contract (src/shared/contract.ts); handlers in src/main/core/approvals/handlers.ts.
 */
export const approvalCommands = {} as const
