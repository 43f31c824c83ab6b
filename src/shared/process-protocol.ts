/**
 * The `process` policy's protocol: Andon writes one `decide` line to the agent's stdin per
 * decision and reads one line back from its stdout. JSON Schemas of both messages are in
 * resources/schema/process-policy.*.schema.json (`npm run schema`), for agents in any language.
 */
import { z } from 'zod'
import { Usage } from './events'
import { ActionSchema, RiskLevel } from './spec'

export const PROCESS_PROTOCOL_VERSION = 1

const Tokens = z.number().int().min(0)
/** Strict, so a misspelt field (`input_tokens`) is named instead of counted as zero. */
const ReplyUsage = Usage.strict()

/** What Andon asks: the loop's state as the agent needs it to choose the next action. */
export const ProcessDecideMessage = z.object({
  type: z.literal('decide'),
  protocol: z.literal(PROCESS_PROTOCOL_VERSION),
  loopId: z.string(),
  iteration: z.number().int().positive(),
  task: z.string(),
  subgoal: z.string(),
  facts: z.array(z.string()),
  memory: z.record(z.string(), z.unknown()),
  /** What the last tool call did, or null before the first. */
  lastObservation: z
    .object({ tool: z.string(), ok: z.boolean(), exitCode: z.number().int().nullable(), summary: z.string(), excerpt: z.string() })
    .nullable(),
  /** Calls turned down since the last observation (by the operator or an invariant), with why: do not propose them again as they were. */
  rejections: z.array(z.object({ action: ActionSchema, reason: z.string(), by: z.string() })),
  /** The tools the loop may call, with the JSON Schema of each one's `args`. */
  tools: z.array(z.object({ name: z.string(), description: z.string(), risk: RiskLevel, inputSchema: z.record(z.string(), z.unknown()) })),
  /** Spent so far (seconds: active running time) and the loop's limits; null: no limit of that kind. */
  budget: z.object({
    used: z.object({ inputTokens: Tokens, outputTokens: Tokens, costUsd: z.number().min(0), seconds: z.number().min(0) }),
    limits: z.object({ tokens: Tokens.nullable(), usd: z.number().nullable(), seconds: z.number().nullable(), iterations: Tokens })
  })
})
export type ProcessDecideMessage = z.infer<typeof ProcessDecideMessage>

/** The agent's choice: one tool call, what it is for and how sure it is. */
export const ProcessAgentDecision = z
  .object({
    tool: ActionSchema.shape.tool,
    args: ActionSchema.shape.args,
    subgoal: z.string().max(2000),
    confidence: z.number().min(0).max(1),
    rationale: z.string().max(20_000).default(''),
    /** What this decision cost, added to the loop's budget (zero when absent). */
    usage: ReplyUsage.optional()
  })
  .strict()

/** The agent cannot decide: the loop escalates with this text. */
export const ProcessAgentError = z
  .object({
    error: z.string().min(1).max(4000),
    usage: ReplyUsage.optional()
  })
  .strict()

export const ProcessAgentReply = z.union([ProcessAgentDecision, ProcessAgentError])
export type ProcessAgentReply = z.infer<typeof ProcessAgentReply>
