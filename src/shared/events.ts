/**
 * Every fact about a loop is one of these events, appended to its stream and never changed.
 * Loop state is a pure fold over them (see `evolve`). Adding a type here without handling it
 * in `evolve` is a compile error (exhaustive switch).
 */
import { z } from 'zod'
import { ActionSchema, InvariantsSpec, LoopSpecSchema, RiskLevel, TerminationReason } from './spec'
import { EscalationPacketSchema } from './escalation'
import { StatePatchSchema } from './patch'
import { RootCauseSchema } from './root-cause'

export { TerminationReason }

export const Usage = z.object({
  inputTokens: z.number().int().min(0).default(0),
  outputTokens: z.number().int().min(0).default(0),
  costUsd: z.number().min(0).default(0)
})
export type Usage = z.infer<typeof Usage>

export const InvariantResult = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string().default(''),
  /** What to do when it fails: escalate to the operator, or terminate with a reason. */
  remediation: z.string().default('')
})
export type InvariantResult = z.infer<typeof InvariantResult>

export const Observation = z.object({
  tool: z.string(),
  ok: z.boolean(),
  exitCode: z.number().int().nullable().default(null),
  summary: z.string(),
  /** The tail of the tool's output, capped; the whole output is in ToolOutput events. */
  excerpt: z.string().default(''),
  /** Set when no tool reported this outcome but the operator did (an interrupted call). */
  resolvedBy: z.string().optional()
})
export type Observation = z.infer<typeof Observation>

/**
 * How an escalation ended: resumed as is, the unknown call re-run, aborted, or the operator
 * said whether an interrupted call took effect (`happened` / `not-happened`).
 */
export const EscalationResolution = z.enum(['resume', 'retry', 'abort', 'happened', 'not-happened'])
export type EscalationResolution = z.infer<typeof EscalationResolution>

/** What a fork starts from: its parent's state at the fork point (only these fields). */
export const ForkStartStateSchema = z.object({
  subgoal: z.string().max(2000).optional(),
  facts: z.array(z.string().max(4000)).max(500).optional(),
  memory: z.record(z.string(), z.unknown()).optional(),
  invariants: InvariantsSpec.optional(),
  iteration: z.number().int().min(0).optional(),
  usage: Usage.optional(),
  lastObservation: Observation.nullable().optional(),
  lastProgressIteration: z.number().int().min(0).optional(),
  lastConfidence: z.number().min(0).max(1).nullable().optional()
})
export type ForkStartState = z.infer<typeof ForkStartStateSchema>

/** Which approval rule decided a call, and where it came from (the spec, or the operator's rule set). */
export const GateRuleSchema = z.object({
  effect: z.enum(['allow', 'ask', 'deny']),
  pattern: z.string(),
  source: z.enum(['spec', 'rule-set']),
  /** The rule's id in the rule set. */
  id: z.number().int().optional(),
  /** Why the gate did what it did, when the rule alone does not say (a deny that could not read the command asks). */
  reason: z.string().max(2000).optional()
})
export type GateRule = z.infer<typeof GateRuleSchema>

const e = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), data })

export const EventSchemas = [
  e(
    'LoopCreated',
    z.object({
      spec: LoopSpecSchema,
      specPath: z.string().nullable().default(null),
      workspace: z.string().nullable().default(null),
      parentLoopId: z.string().nullable().default(null),
      forkedAtVersion: z.number().int().nullable().default(null),
      /** A fork starts from its parent's state at the fork point. */
      startState: ForkStartStateSchema.nullable().default(null),
      readOnly: z.boolean().default(false)
    })
  ),
  e('Started', z.object({ by: z.string().default('operator') })),
  e('IterationStarted', z.object({ iteration: z.number().int().positive() })),
  e(
    'DecisionMade',
    z.object({
      iteration: z.number().int().positive(),
      policy: z.string(),
      action: ActionSchema,
      subgoal: z.string().default(''),
      confidence: z.number().min(0).max(1),
      rationale: z.string().default(''),
      /** The exact request the policy sent (secrets never included). */
      prompt: z.unknown().optional(),
      /** The raw response, as received. */
      rawResponse: z.unknown().optional(),
      usage: Usage,
      latencyMs: z.number().min(0)
    })
  ),
  e(
    'DecisionFailed',
    z.object({
      iteration: z.number().int().positive(),
      policy: z.string(),
      /** The policy's error kind (rate-limited, malformed-response, max-tokens, …). */
      kind: z.string(),
      message: z.string(),
      rawResponse: z.unknown().optional(),
      /** Tokens spent on the failed call still count against the budget. */
      usage: Usage,
      latencyMs: z.number().min(0)
    })
  ),
  e(
    'ActionProposed',
    z.object({
      iteration: z.number().int().positive(),
      callId: z.string(),
      action: ActionSchema,
      risk: RiskLevel,
      needsApproval: z.boolean(),
      /** Suggest-only: the call waits for the operator to run it, edit and run it, answer it or dismiss it. */
      suggestion: z.boolean().optional(),
      /** The approval rule that decided this call (absent: the autonomy mode did). */
      rule: GateRuleSchema.optional()
    })
  ),
  e(
    'ActionApproved',
    z.object({
      callId: z.string(),
      by: z.string(),
      editedArgs: z.record(z.string(), z.unknown()).optional()
    })
  ),
  e('ActionRejected', z.object({ callId: z.string(), by: z.string(), reason: z.string() })),
  /** The operator answered a waiting call instead of running it: the Observed that follows carries the answer. */
  e('ActionAnswered', z.object({ callId: z.string(), by: z.string(), ok: z.boolean(), answer: z.string().max(20_000) })),
  e(
    'ToolStarted',
    z.object({
      callId: z.string(),
      tool: z.string(),
      args: z.record(z.string(), z.unknown()),
      idempotencyKey: z.string(),
      idempotent: z.boolean()
    })
  ),
  e('ToolOutput', z.object({ callId: z.string(), stream: z.enum(['stdout', 'stderr', 'info']), chunk: z.string() })),
  e(
    'ToolFinished',
    z.object({
      callId: z.string(),
      ok: z.boolean(),
      exitCode: z.number().int().nullable().default(null),
      durationMs: z.number().min(0),
      outputBytes: z.number().int().min(0).default(0),
      truncated: z.boolean().default(false),
      error: z.string().optional(),
      /** The call's process died with Andon and the operator said what happened (never a tool's word). */
      resolvedBy: z.string().optional()
    })
  ),
  e('Observed', z.object({ iteration: z.number().int().positive(), observation: Observation, progress: z.boolean() })),
  e('InvariantChecked', z.object({ iteration: z.number().int().min(0), results: z.array(InvariantResult) })),
  e(
    'DecisionDelayed',
    z.object({
      iteration: z.number().int().positive(),
      /** The provider asked to be called again no earlier than this (epoch ms); kept across restarts. */
      until: z.number().int(),
      reason: z.string()
    })
  ),
  e('Escalated', z.object({ packet: EscalationPacketSchema })),
  e('EscalationResolved', z.object({ escalationId: z.string(), by: z.string(), resolution: EscalationResolution })),
  e('StatePatched', z.object({ by: z.string(), why: z.string(), patch: StatePatchSchema })),
  e(
    'Paused',
    z.object({
      by: z.string(),
      reason: z.string().default(''),
      /** Set when the pause ends by itself (an open circuit's next probe): epoch ms. */
      resumeAt: z.number().int().optional()
    })
  ),
  e('Resumed', z.object({ by: z.string() })),
  e(
    'Interrupted',
    z.object({
      detail: z.string(),
      /** The last time the loop's host was known alive (its last event or lease heartbeat); null: the previous event. */
      lastAliveAt: z.number().int().nullable()
    })
  ),
  e('Forked', z.object({ childLoopId: z.string(), atVersion: z.number().int().min(0) })),
  e(
    'Terminated',
    z.object({
      reason: TerminationReason,
      detail: z.string().default(''),
      iteration: z.number().int().min(0),
      /** For a run that ended without success: its likely root cause, classified from its history. */
      rootCause: RootCauseSchema.optional()
    })
  )
] as const

export const LoopEventSchema = z.discriminatedUnion('type', EventSchemas)
export type LoopEvent = z.infer<typeof LoopEventSchema>
export type LoopEventType = LoopEvent['type']
export type EventOf<T extends LoopEventType> = Extract<LoopEvent, { type: T }>
/** What callers hand to append: data before defaults are applied. */
export type LoopEventInput = z.input<typeof LoopEventSchema>

/** An event as stored: its stream position, global position and time. */
export const StoredEventSchema = z.intersection(
  LoopEventSchema,
  z.object({
    loopId: z.string(),
    version: z.number().int().positive(),
    seq: z.number().int().positive(),
    at: z.number().int()
  })
)
export type StoredEvent = LoopEvent & { loopId: string; version: number; seq: number; at: number }
