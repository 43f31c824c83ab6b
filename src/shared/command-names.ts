/**
 * The contract's command names as a plain list, for clients that only route calls by name (the web
 * client): importing the contract itself would load zod and every schema. The checks below fail
 * to compile when a command is added to or removed from the contract and not here.
 */
import type { CommandName } from './contract'

export const COMMAND_NAMES = [
  'listSpecs', 'validateSpec', 'launchLoop', 'listLoops', 'archiveLoop', 'getLoop', 'getIterations', 'getEvents', 'stateAt',
  'pauseLoop', 'pauseAll', 'resumeLoop', 'cancelLoop', 'patchState', 'resolveOutcome', 'decideApproval', 'previewAction',
  'forkLoop', 'reviewFork', 'listInbox', 'getDailyBudget', 'setDailyBudget', 'getWebhooks', 'setWebhooks', 'fleetStats',
  'exportBundle', 'importBundle', 'compareLoops', 'listApprovalRules', 'addApprovalRule', 'revokeApprovalRule',
  'ruleCoversCall', 'answerCall', 'trackRecord', 'trackRecordForLoop', 'listEvalSuites', 'saveEvalCase', 'startEvalGate',
  'getEvalGate', 'listEvalGates'
] as const satisfies readonly CommandName[]

/** Every contract command is listed (the `satisfies` above checks the converse). */
type Unlisted = Exclude<CommandName, (typeof COMMAND_NAMES)[number]>
const everyCommandListed: [Unlisted] extends [never] ? true : Unlisted = true
void everyCommandListed
