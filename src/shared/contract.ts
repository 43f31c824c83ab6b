/**
 * The one contract between the renderer and the core. Each command has a zod input schema
 * (validated at every shell boundary: Electron IPC and the web shell) and an output type.
 * The preload bridge, the web client and the server handlers are all derived from this map.
 */
import { z } from 'zod'
import { approvalCommands, RememberSchema } from './approvals-contract'
import { command } from './command'
import { LoopId } from './ids'
import { evalCommands } from './eval-contract'
import { trackRecordCommands } from './track-record-contract'
import type { BundleManifest } from './bundle'
import type { LoopComparison } from './compare'
import type { EscalationPacket } from './escalation'
import type { FleetStats } from './fleet'
import type { StoredEvent } from './events'
import { ITERATION_PAGE, ITERATION_PAGE_MAX, type IterationRow, type IterationSpan } from './iterations'
import { StatePatchSchema } from './patch'
import type { ActionPreview } from './preview'
import { ActionSchema, AutonomyMode } from './spec'
import type { LoopSpec } from './spec'
import type { LoopState, LoopStatus } from './state'
import { WebhookUrl, type WebhookSettings } from './webhooks'

/** The most events one getEvents call returns. */
export const EVENT_PAGE_MAX = 10_000

/** One page of a loop's events; `next` is where the following page starts (null: this is the end). */
export interface EventPage {
  events: StoredEvent[]
  next: number | null
}

/** The loop version the operator was looking at: a command against an older view is refused. */
const ExpectedVersion = z.number().int().min(0).optional()


export interface SpecEntry {
  id: string
  name: string
  description: string
  path: string
  text: string
  /** null when the file parses; the error otherwise. */
  error: string | null
}

export interface LoopSummary {
  loopId: string
  name: string
  status: LoopStatus
  iteration: number
  policy: string
  /** The loop's autonomy mode now (the spec's, or the last `setAutonomy` patch). */
  autonomy: string
  terminationReason: string | null
  terminationDetail: string | null
  parentLoopId: string | null
  readOnly: boolean
  /** Approvals or escalations waiting for an operator. */
  waiting: number
  inputTokens: number
  outputTokens: number
  costUsd: number
  /** Active time banked so far; while running, add the time since `runningSince`. */
  activeMs: number
  runningSince: number | null
  /** The loop's event count: what an operator's command says it saw. */
  version: number
  createdAt: number
  updatedAt: number
  /** When it first started and when it terminated (null: not yet). */
  startedAt: number | null
  endedAt: number | null
  /** The task's opening (see taskExcerpt); the whole task is in the loop's spec. */
  task: string
  tags: string[]
  /** While paused: who paused it and why, and when it resumes by itself (an open circuit). */
  pause: { by: string; reason: string; resumeAt: number | null } | null
  /** Why the loop's recorded row cannot be read (its events came damaged): archive it to hide it. */
  damaged?: string
  /** Archived by an operator: out of the lists unless they ask for archived loops. */
  archived?: boolean
}

export interface InboxItem {
  loopId: string
  loopName: string
  kind: 'approval' | 'escalation'
  /** Suggest-only: the call waits to be run, edited and run, answered (answerCall) or dismissed; nothing runs by itself. */
  suggestion: boolean
  iteration: number
  summary: string
  at: number
  /** The loop version this item was read at (sent back with the decision). */
  version: number
  callId: string | null
  packet: EscalationPacket | null
}

export interface DailyBudget {
  /** null: no daily limit. */
  limitUsd: number | null
  spentTodayUsd: number
  /** Who set the limit in the control room (null: from ANDON_DAILY_BUDGET_USD or never set). */
  setBy: string | null
  setAt: number | null
  why: string | null
}

/** What the andon cord did: the loops it paused, and the running loops it could not pause here (and why). */
export interface PauseAllResult {
  paused: number
  pausedLoopIds: string[]
  /** Running loops another process drives: pause them there. */
  elsewhere: { loopId: string; name: string; holder: string }[]
  /** Loops that stopped to wait for the operator (an approval, an escalation) before the pause took: each pauses as soon as it is answered, before its next step. */
  waiting: { loopId: string; name: string; status: 'awaiting-approval' | 'escalated' }[]
  failed: { loopId: string; error: string }[]
}

/** Errors refuse a launch; warnings (a secret nothing requires is unset…) are shown and the loop may still start. */
export type ValidationResult =
  | { ok: true; spec: LoopSpec; warnings?: { path: string; message: string }[] }
  | { ok: false; errors: { path: string; message: string }[]; warnings?: { path: string; message: string }[] }

export const LaunchOverrides = z
  .object({
    name: z.string().min(1).max(120).optional(),
    autonomy: AutonomyMode.optional(),
    maxIterations: z.number().int().positive().max(1_000_000).optional()
  })
  .strict()

/** What a fork would run and where, for the operator to confirm before a loop from a bundle runs here. */
export interface ForkReview {
  /** The loop came from a bundle: forking it needs the operator's confirmation. */
  imported: boolean
  /** Commands the fork could run, and where each comes from. */
  commands: { from: string; command: string }[]
  /** The folder on this machine its spec would copy into the fork's workspace (null: none). */
  workspace: string | null
  /** Environment variables its spec would hand to its commands. */
  secrets: string[]
  tools: string[]
  autonomy: AutonomyMode
  /** Its spec's `approvals.allow` patterns: calls they match would run without asking, whatever the autonomy. */
  allowRules: string[]
  policy: string
  endpoint: PolicyEndpoint | null
}

/** What the operator keeps when forking an imported loop: by default nothing of the bundle's reach. */
export const ForkConfirmation = z
  .object({
    autonomy: AutonomyMode.default('approve-every-action'),
    keepSecrets: z.boolean().default(false),
    copyWorkspace: z.boolean().default(false),
    /** Keep the spec's `approvals.allow` rules (its ask and deny rules only restrict, and are always kept). */
    keepAllowRules: z.boolean().default(false)
  })
  .strict()
export type ForkConfirmation = z.infer<typeof ForkConfirmation>

/** Where a loop's policy sends its requests (and the key), and whether the operator's configuration allows it. */
export interface PolicyEndpoint {
  url: string
  allowed: boolean
}

export const contract = {
  listSpecs: command<SpecEntry[]>()(z.object({}).strict(), 'Loop spec files the operator can launch.'),
  validateSpec: command<ValidationResult>()(
    z.object({ text: z.string().max(1_000_000), specId: z.string().max(500).optional() }).strict(),
    'Check spec text (YAML or JSON) as a launch would, without launching: what would fail (errors) and what would limit the loop (warnings). With specId, relative paths resolve from that spec file.'
  ),
  launchLoop: command<{ loopId: string }>()(
    z
      .object({
        specId: z.string().max(500).optional(),
        specText: z.string().max(1_000_000).optional(),
        overrides: LaunchOverrides.default({})
      })
      .strict()
      .refine((v) => Boolean(v.specId || v.specText), 'give specId, specText, or both'),
    'Create a loop from a spec and start it. With both, the (edited) text is used and relative paths resolve from the spec file.'
  ),
  listLoops: command<LoopSummary[]>()(
    z.object({ archived: z.boolean().optional() }).strict(),
    'Every loop, newest first (with archived: true, the archived ones instead).'
  ),
  archiveLoop: command<{ loopId: string; archived: boolean }>()(
    z.object({ loopId: LoopId, archived: z.boolean().default(true), why: z.string().max(2000).default('') }).strict(),
    'Archive a loop (it leaves the lists and the inbox; its events are kept), or bring it back; recorded with who and why.'
  ),
  getLoop: command<{
    state: LoopState
    /** The newest ITERATION_PAGE rows, oldest first; the others come from getIterations. */
    iterations: IterationRow[]
    /** The iterations the loop has rows for (a fork's first is its fork point). */
    iterationSpan: IterationSpan
    summary: LoopSummary
    endpoint: PolicyEndpoint | null
    importedLineage: boolean
  }>()(
    z.object({ loopId: LoopId }).strict(),
    "Current state of one loop, its newest page of iteration rows and the span of all of them; importedLineage: it is or descends from a loop imported from a bundle (the operator's spec-scoped allow rules do not apply to it)."
  ),
  getIterations: command<{ rows: IterationRow[]; iterationSpan: IterationSpan }>()(
    z
      .object({
        loopId: LoopId,
        fromIteration: z.number().int().min(0),
        toIteration: z.number().int().min(0),
        limit: z.number().int().positive().max(ITERATION_PAGE_MAX).default(ITERATION_PAGE)
      })
      .strict()
      .refine((v) => v.toIteration >= v.fromIteration, { message: 'toIteration must not be below fromIteration', path: ['toIteration'] }),
    `Iteration rows fromIteration..toIteration of one loop, oldest first, at most limit (${ITERATION_PAGE} unless given, ${ITERATION_PAGE_MAX} at most), with the loop's span now.`
  ),
  getEvents: command<EventPage>()(
    z
      .object({
        loopId: LoopId,
        afterVersion: z.number().int().min(0).default(0),
        limit: z.number().int().positive().max(EVENT_PAGE_MAX).default(1000)
      })
      .strict(),
    `Events of one loop in order after afterVersion, at most limit (1000 unless given, ${EVENT_PAGE_MAX} at most); next is the afterVersion of the following page, null at the end of the stream.`
  ),
  stateAt: command<LoopState>()(
    z.object({ loopId: LoopId, version: z.number().int().min(1) }).strict(),
    'The loop state as it was after event `version` (time travel).'
  ),
  pauseLoop: command<LoopSummary>()(
    z.object({ loopId: LoopId, reason: z.string().max(2000).default('') }).strict(),
    'Pause at the next safe point.'
  ),
  pauseAll: command<PauseAllResult>()(
    z.object({ reason: z.string().max(2000).default('') }).strict(),
    'Pull the andon cord: pause every running loop at once (and hold those paused by an open circuit), each recorded with a Paused event whose reason starts "stop all"; loops another process drives are reported, not paused.'
  ),
  resumeLoop: command<LoopSummary>()(
    z.object({ loopId: LoopId, expectedVersion: ExpectedVersion }).strict(),
    'Resume a paused, escalated or interrupted loop.'
  ),
  cancelLoop: command<LoopSummary>()(
    z.object({ loopId: LoopId, expectedVersion: ExpectedVersion }).strict(),
    'Stop a loop for good (CANCELLED, or the reason its escalation was raised for).'
  ),
  patchState: command<LoopState>()(
    z.object({ loopId: LoopId, patch: StatePatchSchema, why: z.string().max(2000).default(''), expectedVersion: ExpectedVersion }).strict(),
    'Validate and record a state patch on a stopped loop.'
  ),
  resolveOutcome: command<LoopSummary>()(
    z
      .object({
        loopId: LoopId,
        outcome: z.enum(['happened', 'not-happened', 'retry']),
        note: z.string().max(2000).default(''),
        expectedVersion: ExpectedVersion
      })
      .strict(),
    'A call cut off by a restart: say it took effect, it did not (the loop goes on without re-running it), or re-run it.'
  ),
  decideApproval: command<LoopSummary>()(
    z
      .object({
        loopId: LoopId,
        callId: z.string().min(1),
        decision: z.enum(['approve', 'reject']),
        editedArgs: z.record(z.string(), z.unknown()).optional(),
        reason: z.string().max(2000).default(''),
        /** "Always allow this" (with approve) or "always deny this" (with reject): the rule joins the rule set with this decision. */
        remember: RememberSchema.optional(),
        expectedVersion: ExpectedVersion
      })
      .strict(),
    'Approve (optionally with edited args) or reject a gated action; with remember, also add an allow (approve) or deny (reject) rule for the pattern, named in the decision (suggestRulePattern in src/shared/approval-rules.ts proposes one).'
  ),
  previewAction: command<ActionPreview>()(
    z.object({ loopId: LoopId, action: ActionSchema }).strict(),
    "What a file edit (write_file, replace_in_file) would change in the loop's workspace, as unified-diff hunks, read with the tool's own confinement; send edited args to preview the edited call."
  ),
  forkLoop: command<{ loopId: string }>()(
    z
      .object({
        loopId: LoopId,
        atVersion: z.number().int().min(1),
        patch: StatePatchSchema.optional(),
        start: z.boolean().default(true),
        /** Required for a loop imported from a bundle, after reviewFork. */
        confirmImported: ForkConfirmation.optional()
      })
      .strict(),
    'Create a new loop from the state of another at an earlier event.'
  ),
  reviewFork: command<ForkReview>()(
    z.object({ loopId: LoopId, atVersion: z.number().int().min(1) }).strict(),
    'What a fork from this point would run and where (commands, workspace, secrets, tools, autonomy): confirm it before forking an imported loop.'
  ),
  listInbox: command<InboxItem[]>()(z.object({}).strict(), 'Approvals and escalations waiting across all loops.'),
  getDailyBudget: command<DailyBudget>()(z.object({}).strict(), "The daily spend limit across all loops and today's spend (UTC)."),
  setDailyBudget: command<DailyBudget>()(
    z.object({ usd: z.number().positive().max(1_000_000).nullable(), why: z.string().max(2000).default('') }).strict(),
    'Set (or clear, with null) the daily spend limit; recorded with who and why, kept across restarts.'
  ),
  getWebhooks: command<WebhookSettings>()(z.object({}).strict(), 'The webhook per kind (escalation, approval), who set them, and the recent deliveries.'),
  setWebhooks: command<WebhookSettings>()(
    z.object({ escalation: WebhookUrl, approval: WebhookUrl, why: z.string().max(2000).default('') }).strict(),
    'Set (or clear, with null) the http(s) URL that receives Slack-compatible JSON for each escalation and each approval; recorded with who and why.'
  ),
  fleetStats: command<FleetStats>()(
    z.object({ days: z.number().int().min(1).max(90).default(14) }).strict(),
    'Loops by status, convergence rate, iterations to converge, escalations open and time to resolve, failed stops by root cause (per category and UTC day, the dominant one named), and spend per UTC day for the last `days` days against the daily budget.'
  ),

  // ── Trace bundles: export, import, compare (handlers in src/main/core/bundles/handlers.ts) ──
  exportBundle: command<{ fileName: string; bytesBase64: string; manifest: BundleManifest }>()(
    z
      .object({
        loopIds: z.array(LoopId).min(1).max(1000),
        /** Extra regular expressions whose matches are redacted. */
        redactPatterns: z.array(z.string().min(1).max(1000)).max(50).default([])
      })
      .strict(),
    'Export loops as one redacted, checksummed bundle file (.andon).'
  ),
  importBundle: command<{ loopIds: string[]; renamed: Record<string, string>; manifest: BundleManifest }>()(
    z.object({ bytesBase64: z.string().min(1).max(400 * 1024 * 1024) }).strict(),
    'Validate a bundle completely, then import its loops read-only (fork one to run it).'
  ),
  compareLoops: command<LoopComparison>()(
    z.object({ a: LoopId, b: LoopId }).strict(),
    'Two runs side by side: iterations, actions, cost and where they diverged.'
  ),

  // ── Approval rules, autonomy and track records (handlers in src/main/core/approvals/handlers.ts) ──
  ...approvalCommands,
  // ── Track records and promotion suggestions (handlers in src/main/core/track-record/handlers.ts) ──
  ...trackRecordCommands,
  // ── Eval suites and the validation gate (handlers in src/main/core/eval/handlers.ts) ──
  ...evalCommands
} as const

/** The bundle commands, implemented apart from the loop commands. */
export type BundleCommandName = 'exportBundle' | 'importBundle' | 'compareLoops'
export type ApprovalCommandName = keyof typeof approvalCommands
export type EvalCommandName = keyof typeof evalCommands
export type TrackRecordCommandName = keyof typeof trackRecordCommands
/** Commands with handlers of their own, apart from the loop commands. */
export type SeparateCommandName = BundleCommandName | ApprovalCommandName | EvalCommandName | TrackRecordCommandName

export type Contract = typeof contract
export type CommandName = keyof Contract
export type CommandInput<K extends CommandName> = z.input<Contract[K]['input']>
export type CommandOutput<K extends CommandName> = NonNullable<Contract[K]['output']>
export const commandNames = Object.keys(contract) as CommandName[]

/** Handlers the core provides: one per command, given parsed input. */
export type Handlers = {
  [K in CommandName]: (input: z.output<Contract[K]['input']>) => Promise<CommandOutput<K>> | CommandOutput<K>
}

/** The client API the renderer sees (from preload or the web client). */
export type AndonApi = {
  [K in CommandName]: (input: CommandInput<K>) => Promise<CommandOutput<K>>
}

/** What the core pushes to every client: each appended event with its loop's summary after it. */
export interface PushMessage {
  kind: 'event'
  event: StoredEvent
  summary: LoopSummary
}

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(contract, name)
}
