/**
 * A policy is the loop's transition function: given the decision input built from state,
 * it proposes exactly one action with a subgoal and a confidence.
 */
import type { Usage } from '../../../shared/events'
import type { Action, LoopSpec } from '../../../shared/spec'
import type { LoopState } from '../../../shared/state'
import type { AnyTool, HostedAgent, ToolDescriptor } from '../tools/tool'

export interface DecisionInput {
  loopId: string
  iteration: number
  spec: LoopSpec
  state: LoopState
  tools: ToolDescriptor[]
  /** The spec's own tools (command tools, MCP servers' tools), for a policy whose agent runs its tools itself. */
  specTools?: AnyTool[]
  signal: AbortSignal
  /** The provider asked to wait until `until` (epoch ms) before the next attempt: recorded, so a restart waits too. */
  onDelay?(until: number, reason: string): void
}

export interface Decision {
  action: Action
  subgoal: string
  confidence: number
  rationale: string
  /** The exact request sent, for the trace (never containing secrets). */
  prompt?: unknown
  rawResponse?: unknown
  usage: Usage
}

export interface Policy {
  readonly kind: string
  /** Decides in this process from the state alone (rules, replay): its decision may join the last outcome's commit. Any other policy is asked once that outcome is durable. */
  readonly local?: boolean
  decide(input: DecisionInput): Promise<Decision>
  /** For a policy whose agent runs its own tools (Claude Code): carries out calls the gate let through. */
  readonly agent?: HostedAgent
  /** Let go of what the policy holds (a Claude Code process) when the loop ends, is cancelled or shut down. */
  close?(): void
}

/** Why a decision failed; the engine turns each kind into an invariant failure or escalation. */
export type PolicyErrorKind =
  | 'rate-limited'
  | 'server'
  | 'timeout'
  | 'malformed-response'
  | 'max-tokens'
  | 'no-action'
  | 'circuit-open'
  | 'daily-budget'
  | 'replay-divergence'
  | 'config'

export class PolicyError extends Error {
  constructor(
    readonly kind: PolicyErrorKind,
    message: string,
    /** Usage spent on the failed call still counts against the budget. */
    readonly usage?: Usage,
    readonly rawResponse?: unknown
  ) {
    super(message)
  }
}
