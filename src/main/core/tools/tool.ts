/**
 * Tools are the loop's hands. Each declares a zod input schema, a risk level (for the
 * approval gate) and whether re-running it after a crash is safe (idempotent).
 */
import { z } from 'zod'
import type { RiskLevel, SandboxSpec, VerifyStage } from '../../../shared/spec'

export interface ToolContext {
  loopId: string
  callId: string
  idempotencyKey: string
  /** The loop's own workspace folder; file tools refuse paths outside it. */
  workspace: string
  signal: AbortSignal
  /** Stream output as it happens (recorded as ToolOutput events). */
  emit(stream: 'stdout' | 'stderr' | 'info', chunk: string): void
  /** Secrets the spec asked for, by name; never recorded. */
  secrets: Record<string, string>
  /** The verify command of the spec, for the verify tool. */
  verifyCommand?: string
  /** Or its ordered verify stages (these win). */
  verifyStages?: VerifyStage[]
  /** What the spec lets commands reach beyond the workspace (the defaults when absent). */
  sandbox?: SandboxSpec
  /** Told the id of each process (group) a tool starts, so one left behind by a crash can be ended. */
  onSpawn?(pid: number): void
  /** The policy's own agent, for tools it carries out itself (Claude Code runs its tools; Andon gates them). */
  agent?: HostedAgent
}

/** An agent that runs its own tools once Andon's gate lets a call through, and reports what happened. */
export interface HostedAgent {
  run(callId: string, tool: string, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>
}

export interface ToolResult {
  ok: boolean
  exitCode: number | null
  summary: string
  /** The tail of the output, capped, for the observation. */
  excerpt: string
  outputBytes?: number
  truncated?: boolean
}

export interface ToolDefinition<I = Record<string, unknown>> {
  name: string
  description: string
  input: z.ZodType<I>
  /** The input's JSON Schema as given (MCP and command tools), told to policies instead of one derived from `input`. */
  inputSchema?: Record<string, unknown>
  risk: RiskLevel
  /** A risk that depends on the call (an edit outside the workspace is riskier than one inside). */
  riskFor?(args: I, workspace: string): RiskLevel
  idempotent: boolean
  /** Only available to specs that name it in `tools` (tools that reach outside the workspace). */
  optIn?: boolean
  run(args: I, ctx: ToolContext): Promise<ToolResult>
}

/** What a policy is told about a tool (the Anthropic policy turns this into a tool definition). */
export interface ToolDescriptor {
  name: string
  description: string
  risk: RiskLevel
  inputSchema: Record<string, unknown>
}

/**
 * Descriptions by tool object. A definition never changes once made, and deriving a JSON Schema
 * from zod is costly (it was a third of the main thread's CPU with 50 loops when done at every
 * decision), so each tool is described once: the built-ins once per process, a spec's command
 * and MCP tools once per SpecTools that made them (a re-listed MCP tool is a new object).
 */
const described = new WeakMap<ToolDefinition<unknown>, ToolDescriptor>()

/** What a policy is told about `t`; the same frozen object every time (shared by every loop: never mutate it). */
export function describeTool(t: ToolDefinition<unknown>): ToolDescriptor {
  let d = described.get(t)
  if (!d) {
    d = Object.freeze({
      name: t.name,
      description: t.description,
      risk: t.risk,
      inputSchema: t.inputSchema ?? deepFreeze(z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>)
    })
    described.set(t, d)
  }
  return d
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<any>

export class ToolRegistry {
  private readonly tools = new Map<string, AnyTool>()
  constructor(tools: AnyTool[] = []) {
    for (const t of tools) this.register(t)
  }
  register(t: AnyTool): void {
    if (this.tools.has(t.name)) throw new Error(`tool ${t.name} registered twice`)
    this.tools.set(t.name, t)
  }
  get(name: string): AnyTool | undefined {
    return this.tools.get(name)
  }
  list(): AnyTool[] {
    return [...this.tools.values()]
  }
  describe(): ToolDescriptor[] {
    return this.list().map(describeTool)
  }
  /** The tool a spec may use by this name: the ones it lists, or, if it lists none, every tool that is not opt-in. */
  forSpec(name: string, listed: { name: string }[]): AnyTool | undefined {
    const tool = this.tools.get(name)
    if (!tool) return undefined
    if (listed.length === 0) return tool.optIn ? undefined : tool
    return listed.some((t) => t.name === name) ? tool : undefined
  }
}
