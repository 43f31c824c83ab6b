/**
 * Loop spec: the file an operator launches. Everything a loop may do is declared here:
 * its task, its policy, its tools, its invariants, its termination and its autonomy.
 */
import { z } from 'zod'

export const AutonomyMode = z.enum(['suggest-only', 'approve-every-action', 'approve-risky', 'autonomous'])
export type AutonomyMode = z.infer<typeof AutonomyMode>

export const TerminationReason = z.enum([
  'SUCCESS',
  'MAX_ITERATIONS',
  'BUDGET_EXHAUSTED',
  'STALLED',
  'FATAL_ERROR',
  'CANCELLED'
])
export type TerminationReason = z.infer<typeof TerminationReason>

export const RiskLevel = z.enum(['low', 'medium', 'high'])
export type RiskLevel = z.infer<typeof RiskLevel>

/** One action a policy may propose: a tool name and its arguments. */
export const ActionSchema = z
  .object({
    tool: z.string().min(1).max(100),
    args: z.record(z.string(), z.unknown()).default({})
  })
  .strict()
export type Action = z.infer<typeof ActionSchema>

/** A user regular expression (matched with a linear-time engine: no pattern can stall the loop). */
const Pattern = z.string().max(1000)

/** A deterministic rule: when the condition holds, propose the action. First match wins. */
export const RuleSchema = z.object({
  name: z.string().min(1).max(200),
  when: z
    .object({
      /** No observation yet (first iteration). */
      start: z.boolean().optional(),
      /** Regular expression tested against the last observation's output. */
      outputMatches: Pattern.optional(),
      /** The last observation came from this tool. */
      lastTool: z.string().max(100).optional(),
      /** The last tool call failed (true) or succeeded (false). */
      lastFailed: z.boolean().optional(),
      /** Regular expression that some fact in working memory must match. */
      factMatches: Pattern.optional(),
      /** Regular expression that the reason of a rejection since the last observation must match. */
      rejectionMatches: Pattern.optional()
    })
    .strict(),
  then: ActionSchema,
  subgoal: z.string().max(1000).optional(),
  confidence: z.number().min(0).max(1).default(0.9)
}).strict()
export type Rule = z.infer<typeof RuleSchema>

export const RulesPolicySpec = z
  .object({
    kind: z.literal('rules'),
    rules: z.array(RuleSchema).min(1).max(500),
    /** Simulated think time per decision, so a demo loop can be watched. */
    delayMs: z.number().int().min(0).max(60_000).default(0)
  })
  .strict()

export const ReplayPolicySpec = z
  .object({
    kind: z.literal('replay'),
    /** Loop id whose recorded decisions are replayed (in this store). */
    sourceLoopId: z.string().min(1).max(200),
    delayMs: z.number().int().min(0).max(60_000).default(0)
  })
  .strict()

/** USD per million tokens, for a model Andon has no price for (so USD budgets can hold). */
export const PricingSpec = z
  .object({
    inputPerMTok: z.number().min(0).max(10_000),
    outputPerMTok: z.number().min(0).max(10_000)
  })
  .strict()

export const AnthropicPolicySpec = z
  .object({
    kind: z.literal('anthropic'),
    model: z.string().min(1).max(200).default('claude-sonnet-4-5'),
    /** The model's price, when Andon's table does not list it. */
    pricing: PricingSpec.optional(),
    /** A provider endpoint other than Anthropic's: used only if the operator's own configuration allows it (ANDON_ALLOWED_ENDPOINTS). */
    baseUrl: z.string().max(2000).url().optional(),
    maxTokens: z.number().int().positive().max(64_000).default(2048),
    temperature: z.number().min(0).max(1).optional(),
    timeoutMs: z.number().int().positive().max(3_600_000).default(60_000)
  })
  .strict()

/** A Claude Code tool name (`Bash`, `Edit`, `mcp__server__tool`…). */
const AgentToolName = z.string().min(1).max(200)

/**
 * Claude Code runs its own agent loop in the loop's workspace; Andon gates every tool call it
 * makes, records it, and holds the session to the spec's invariants, budgets and verify command.
 */
export const ClaudeCodePolicySpec = z
  .object({
    kind: z.literal('claude-code'),
    model: z.string().min(1).max(200).default('claude-sonnet-4-5'),
    /** The model's price, when Andon's table does not list it. */
    pricing: PricingSpec.optional(),
    /** Added to Claude Code's own system prompt. */
    appendSystemPrompt: z.string().max(20_000).optional(),
    /** The only Claude Code tools the session has (all of them when absent). */
    allowedTools: z.array(AgentToolName).max(200).optional(),
    /** Claude Code tools the session never has. */
    disallowedTools: z.array(AgentToolName).max(200).optional(),
    /** Claude Code's own turn limit for each prompt Andon sends. */
    maxTurns: z.number().int().positive().max(10_000).optional(),
    /** A Claude Code executable to run instead of the one the SDK brings (ANDON_CLAUDE_CODE_EXECUTABLE also sets it). */
    executable: z.string().min(1).max(1000).optional(),
    /** Risk of a Claude Code tool for the approval gate, over Andon's table (Bash high, Edit medium, Read low…). */
    toolRisk: z.record(AgentToolName, RiskLevel).default({})
  })
  .strict()
export type ClaudeCodePolicySpec = z.infer<typeof ClaudeCodePolicySpec>

export const PolicySpec = z.discriminatedUnion('kind', [RulesPolicySpec, ReplayPolicySpec, AnthropicPolicySpec, ClaudeCodePolicySpec])
export type PolicySpec = z.infer<typeof PolicySpec>

export const ToolConfig = z
  .object({
    name: z.string().min(1).max(100),
    /** Override the tool's built-in risk level. */
    risk: RiskLevel.optional()
  })
  .strict()

/**
 * What commands Andon starts (run_command, verify) may reach. By default they write only inside
 * the loop's workspace, reach no network and see a clean environment.
 */
export const SandboxSpec = z
  .object({
    /** More paths commands may write (absolute, or relative to the workspace). */
    allowWrite: z.array(z.string().min(1).max(1000)).max(50).default([]),
    /** Domains commands may reach (e.g. `registry.npmjs.org`, `*.github.com`); none by default. */
    allowDomains: z.array(z.string().min(1).max(253)).max(50).default([]),
    /** Run high-risk commands even where no sandbox can start. Never the default. */
    allowUnsandboxed: z.boolean().default(false)
  })
  .strict()
  .prefault({})
export type SandboxSpec = z.infer<typeof SandboxSpec>

export const BudgetSpec = z
  .object({
    tokens: z.number().int().positive().optional(),
    usd: z.number().positive().optional(),
    seconds: z.number().positive().optional()
  })
  .strict()
  .default({})

export const InvariantsSpec = z
  .object({
    maxIterations: z.number().int().positive().max(1_000_000).default(25),
    /** A loop must make progress (new fact, passing verify, changed output) every N iterations. */
    progressEvery: z.number().int().positive().default(6),
    /** The same tool call this many times in a row is a loop. */
    sameActionLimit: z.number().int().min(2).default(3),
    toolErrorStreak: z.number().int().positive().default(4),
    confidenceFloor: z.number().min(0).max(1).default(0),
    budget: BudgetSpec
  })
  .strict()
  .prefault({})
export type InvariantsSpec = z.infer<typeof InvariantsSpec>

export const TerminationSpec = z
  .object({
    /** SUCCESS when this tool's last call succeeded (exit code 0). */
    successTool: z.string().min(1).max(100).default('verify'),
    /** The verify command the `verify` tool runs in the workspace. */
    verifyCommand: z.string().min(1).max(10_000).optional()
  })
  .strict()
  .prefault({})

export const LoopSpecSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(120)
      .regex(/^[\w .-]+$/, 'letters, digits, spaces, dot, dash and underscore only'),
    description: z.string().max(4000).optional(),
    task: z.string().min(1).max(20_000),
    policy: PolicySpec,
    /** Template folder copied into the loop's own workspace (relative to the spec file). */
    workspace: z.string().min(1).max(1000).optional(),
    tools: z.array(ToolConfig).max(100).default([]),
    invariants: InvariantsSpec,
    termination: TerminationSpec,
    autonomy: AutonomyMode.default('autonomous'),
    /** Secret names from the environment this loop may use (never recorded). */
    secrets: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'an environment variable name')).max(50).default([]),
    sandbox: SandboxSpec
  })
  .strict()
export type LoopSpec = z.infer<typeof LoopSpecSchema>
export type LoopSpecInput = z.input<typeof LoopSpecSchema>
