/**
 * Loop spec: the file an operator launches. Everything a loop may do is declared here:
 * its task, its policy, its tools, its invariants, its termination and its autonomy.
 */
import { z } from 'zod'
import { RULE_PATTERN_MAX, rulePatternProblem } from './approval-rules'
import { AUTONOMY_MODES, TERMINATION_REASONS } from './names'

export const AutonomyMode = z.enum(AUTONOMY_MODES)
export type AutonomyMode = z.infer<typeof AutonomyMode>

export const TerminationReason = z.enum(TERMINATION_REASONS)
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
    /** The loop's own instructions, added to Andon's system prompt (recorded with every decision, so two versions can be compared). */
    system: z.string().max(50_000).optional(),
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

/** An environment variable name (for `env` maps and secret names). */
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'an environment variable name')
/** Extra environment for a command Andon starts: plain values, or `${NAME}` of one of the spec's secrets. */
const CommandEnv = z.record(EnvName, z.string().max(10_000)).default({})
/** Arguments of a command, one per element: never split or interpreted by a shell. */
const CommandArgs = z.array(z.string().max(10_000)).max(200).default([])

/**
 * Any agent, in any language, as a child process: Andon writes one JSON line per decision to its
 * stdin and reads one JSON line back (schemas in resources/schema/process-policy.*.json).
 * It runs in the sandbox, in the loop's workspace, like every command Andon starts.
 */
export const ProcessPolicySpec = z
  .object({
    kind: z.literal('process'),
    /** The program (looked up on PATH, or a path relative to the workspace). */
    command: z.string().min(1).max(1000),
    args: CommandArgs,
    env: CommandEnv,
    /** How long one decision may take. */
    timeoutMs: z.number().int().positive().max(3_600_000).default(120_000)
  })
  .strict()
export type ProcessPolicySpec = z.infer<typeof ProcessPolicySpec>

export const PolicySpec = z.discriminatedUnion('kind', [RulesPolicySpec, ReplayPolicySpec, AnthropicPolicySpec, ClaudeCodePolicySpec, ProcessPolicySpec])
export type PolicySpec = z.infer<typeof PolicySpec>

/** A name a model can call: letters, digits, `_` and `-` (the Anthropic API's rule for tool names). */
export const LoopToolName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (at most 64)')

const COMMAND_TOOL_FIELDS = ['command', 'args', 'description', 'input', 'stdin', 'idempotent', 'timeoutMs'] as const

/**
 * An entry of `tools`: a built-in tool the loop may use (`{ name, risk? }`), or, with `command`,
 * a tool of the spec's own that runs a program in the sandbox with the call's input: as JSON on
 * stdin, and/or in `args`, where `{{field}}` is replaced by that input field (each element stays
 * one argument: no shell ever reads it, so quotes, `$()` and newlines are just text).
 */
export const ToolConfig = z
  .object({
    name: z.string().min(1).max(100),
    /** Override the tool's risk level (a command tool's default is high). */
    risk: RiskLevel.optional(),
    command: z.string().min(1).max(1000).optional(),
    args: z.array(z.string().max(10_000)).max(200).optional(),
    description: z.string().max(4000).optional(),
    /** JSON Schema of the call's input, checked before the call is proposed. */
    input: z.record(z.string(), z.unknown()).optional(),
    /** `json`: the input as one JSON document on stdin; `none`: nothing on stdin. */
    stdin: z.enum(['json', 'none']).optional(),
    /** Safe to run again after a crash cut it off. */
    idempotent: z.boolean().optional(),
    timeoutMs: z.number().int().positive().max(3_600_000).optional()
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.command !== undefined) {
      if (!LoopToolName.safeParse(t.name).success) ctx.addIssue({ code: 'custom', path: ['name'], message: 'a command tool name: letters, digits, _ and - only (at most 64)' })
      return
    }
    for (const field of COMMAND_TOOL_FIELDS) {
      if (t[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `only a command tool (one with \`command\`) has ${field}` })
    }
  })
export type ToolConfig = z.infer<typeof ToolConfig>
export type CommandToolConfig = ToolConfig & { command: string }

export function isCommandTool(t: ToolConfig): t is CommandToolConfig {
  return t.command !== undefined
}

/** The entries that pick built-in tools (none picked: every built-in that is not opt-in). Command tools are additions. */
export function builtinSelection(tools: readonly ToolConfig[]): ToolConfig[] {
  return tools.filter((t) => !isCommandTool(t))
}

/** Risk and crash-safety of one MCP tool, over what its annotations say. */
const McpToolOverride = z
  .object({ risk: RiskLevel.optional(), idempotent: z.boolean().optional() })
  .strict()

/**
 * An MCP tool server: started with `command` and `args` (stdio, in the sandbox) or reached at
 * `url` (streamable HTTP). Its tools are the loop's as `mcp__<name>__<tool>`, with their JSON
 * Schemas; annotations set risk (readOnlyHint low, destructiveHint high, else medium) and
 * idempotence, and `tools` overrides them per tool.
 */
export const McpServerSpec = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9-]{1,30}$/, 'letters, digits and - only (at most 30)'),
    command: z.string().min(1).max(1000).optional(),
    args: CommandArgs,
    env: CommandEnv,
    url: z.string().max(2000).url().optional(),
    /** HTTP headers for `url`; a value may be `${NAME}` of one of the spec's secrets. */
    headers: z.record(z.string().min(1).max(200), z.string().max(10_000)).default({}),
    /** Per tool (by the server's name for it): risk and idempotent over the annotations. */
    tools: z.record(z.string().min(1).max(200), McpToolOverride).default({}),
    /** How long one call may take before it is ended and observed as failed. */
    timeoutMs: z.number().int().positive().max(3_600_000).default(60_000),
    /** How long the server may take to start and list its tools. */
    startTimeoutMs: z.number().int().positive().max(600_000).default(30_000)
  })
  .strict()
  .superRefine((m, ctx) => {
    if ((m.command === undefined) === (m.url === undefined)) ctx.addIssue({ code: 'custom', path: ['command'], message: 'an MCP server has either `command` (stdio) or `url` (streamable HTTP)' })
  })
export type McpServerSpec = z.infer<typeof McpServerSpec>

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

/** A rule pattern: a tool name, or a tool name and an argument pattern, `run_command(npm test:*)`. */
export const ApprovalRulePattern = z
  .string()
  .min(1)
  .max(RULE_PATTERN_MAX)
  .superRefine((text, ctx) => {
    const problem = rulePatternProblem(text)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

/**
 * Approval rules in the style of Claude Code's permissions: each call is matched against them
 * before the autonomy mode is consulted. Deny wins over ask, ask over allow.
 */
export const ApprovalRulesSpec = z
  .object({
    allow: z.array(ApprovalRulePattern).max(200).default([]),
    ask: z.array(ApprovalRulePattern).max(200).default([]),
    deny: z.array(ApprovalRulePattern).max(200).default([])
  })
  .strict()
export type ApprovalRulesSpec = z.infer<typeof ApprovalRulesSpec>

/** A CEL expression (https://cel.dev), compiled and type-checked when the spec is validated. */
const CelExpression = z.string().min(1).max(4000)

/**
 * An invariant of the spec's own: a CEL predicate over `state`, `call` and `observation` that
 * must hold. `before-call`: checked on each proposed call (a failure means the call never runs);
 * `after-iteration`: checked with the built-in invariants after each iteration.
 */
export const CustomInvariantSpec = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and - only'),
    when: z.enum(['before-call', 'after-iteration']).default('after-iteration'),
    expr: CelExpression,
    /** What the operator should do when it fails (shown in the packet). */
    remediation: z.string().min(1).max(2000).default('escalate: fix the cause, patch the state, or abort'),
    /** `warn`: recorded only; `escalate`: the loop stops for an operator; `stop`: it terminates (FATAL_ERROR). */
    severity: z.enum(['warn', 'escalate', 'stop']).default('escalate')
  })
  .strict()
export type CustomInvariantSpec = z.infer<typeof CustomInvariantSpec>

export const InvariantsSpec = z
  .object({
    maxIterations: z.number().int().positive().max(1_000_000).default(25),
    /** A loop must make progress (new fact, passing verify, changed output) every N iterations. */
    progressEvery: z.number().int().positive().default(6),
    /** The same tool call this many times in a row is a loop. */
    sameActionLimit: z.number().int().min(2).default(3),
    toolErrorStreak: z.number().int().positive().default(4),
    confidenceFloor: z.number().min(0).max(1).default(0),
    budget: BudgetSpec,
    custom: z.array(CustomInvariantSpec).max(50).default([])
  })
  .strict()
  .prefault({})
export type InvariantsSpec = z.infer<typeof InvariantsSpec>

/** One stage of the verify tool: a named shell command. */
export const VerifyStage = z
  .object({
    name: z.string().min(1).max(100),
    command: z.string().min(1).max(10_000),
    timeoutMs: z.number().int().positive().max(3_600_000).default(300_000)
  })
  .strict()
export type VerifyStage = z.infer<typeof VerifyStage>

export const TerminationSpec = z
  .object({
    /** SUCCESS when this tool's last call succeeded (exit code 0). */
    successTool: z.string().min(1).max(100).default('verify'),
    /** The verify command the `verify` tool runs in the workspace. */
    verifyCommand: z.string().min(1).max(10_000).optional(),
    /** Or an ordered list of stages (lint → unit → integration): verify stops at the first that fails and names it. */
    verify: z.array(VerifyStage).min(1).max(20).optional(),
    /**
     * A CEL predicate over `state` and `observation`, checked after each iteration: the loop
     * succeeds when it holds. Absent: when the success tool's last call passed.
     */
    success: CelExpression.optional()
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.verify && t.verifyCommand) ctx.addIssue({ code: 'custom', path: ['verify'], message: 'use verifyCommand or verify stages, not both' })
  })
  .prefault({})

export type TerminationSpec = z.infer<typeof TerminationSpec>

export const DEFAULT_VERIFY_TIMEOUT_MS = 300_000

/** What the verify tool runs: the listed stages, or the one verify command (none: nothing to run). */
export function verifyStages(t: Pick<TerminationSpec, 'verify' | 'verifyCommand'>): VerifyStage[] {
  if (t.verify) return t.verify
  return t.verifyCommand ? [{ name: 'verify', command: t.verifyCommand, timeoutMs: DEFAULT_VERIFY_TIMEOUT_MS }] : []
}

/** The verify stages for a prompt: `node verify.js`, or lint (`npm run lint`), then unit (`npm test`). */
export function describeVerify(t: Pick<TerminationSpec, 'verify' | 'verifyCommand'>): string | null {
  if (t.verifyCommand) return `\`${t.verifyCommand}\``
  return t.verify ? t.verify.map((s) => `${s.name} (\`${s.command}\`)`).join(', then ') : null
}

export const LoopSpecSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(120)
      .regex(/^[\w .-]+$/, 'letters, digits, spaces, dot, dash and underscore only'),
    description: z.string().max(4000).optional(),
    task: z.string().min(1).max(20_000),
    /** Labels for finding the loop in the list (team, project, environment). */
    /** A version label for this spec (recorded on every run, shown when two versions are compared). */
    version: z.string().regex(/^[\w.:+-]{1,60}$/, 'a version label: letters, digits and _ . : + - only (at most 60)').optional(),
    tags: z
      .array(z.string().regex(/^[\w.:/-]{1,40}$/, 'a tag: letters, digits and _ . : / - only (at most 40)'))
      .max(20)
      .refine((tags) => new Set(tags).size === tags.length, 'each tag once')
      .optional(),
    policy: PolicySpec,
    /** Template folder copied into the loop's own workspace (relative to the spec file). */
    workspace: z.string().min(1).max(1000).optional(),
    tools: z.array(ToolConfig).max(100).default([]),
    /** MCP tool servers whose tools this loop may call. */
    mcp: z.array(McpServerSpec).max(20).default([]),
    invariants: InvariantsSpec,
    termination: TerminationSpec,
    autonomy: AutonomyMode.default('autonomous'),
    /** Approval rules by tool and argument pattern (`run_command(npm test:*)`): they decide before the autonomy mode does. */
    approvals: ApprovalRulesSpec.optional(),
    /** Secret names from the environment this loop may use (never recorded). */
    secrets: z.array(EnvName).max(50).default([]),
    sandbox: SandboxSpec
  })
  .strict()
export type LoopSpec = z.infer<typeof LoopSpecSchema>
export type LoopSpecInput = z.input<typeof LoopSpecSchema>
