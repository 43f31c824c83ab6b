/** Build the policy a spec names. Dependencies (API clients, the store) come from the caller. */
import type { InvariantsSpec, LoopSpec, PolicySpec } from '../../../shared/spec'
import type { TraceStore } from '../store/trace-store'
import type { Policy } from './policy'
import { createReplayPolicy } from './replay'
import { createRulesPolicy } from './rules'
import { createAnthropicPolicy } from './anthropic'
import { backpressureOf, type Backpressure } from '../backpressure'
import { describeEndpoint } from './anthropic/endpoint'
import { PRICES, priceFor } from './anthropic/prices'
import { claudeCodeTool, createClaudeCodePolicy, findClaudeCode } from './claude-code'
import { createProcessPolicy } from './process'
import type { AnyTool } from '../tools/tool'

export interface PolicyDeps {
  store: TraceStore
  /** Environment to read API keys from (process.env, or the Electron shell's safeStorage view). */
  env: Record<string, string | undefined>
  /** Shared retries, circuit breakers, concurrency limits and daily budget; a process-wide one if absent. */
  backpressure?: Backpressure
}

/** The endpoint a policy calls, for screens: null for policies that call none. */
export function policyEndpoint(spec: PolicySpec, env: Record<string, string | undefined>): { url: string; allowed: boolean } | null {
  // Claude Code talks to the endpoint the operator's environment names (a spec cannot choose it).
  if (spec.kind === 'claude-code') return describeEndpoint(undefined, env)
  return spec.kind === 'anthropic' ? describeEndpoint(spec.baseUrl, env) : null
}

export function createPolicy(spec: PolicySpec, _deps: PolicyDeps): Policy {
  switch (spec.kind) {
    case 'rules':
      return createRulesPolicy(spec)
    case 'replay':
      return createReplayPolicy(spec, _deps.store)
    case 'anthropic':
      return createAnthropicPolicy(spec, _deps)
    case 'claude-code':
      return createClaudeCodePolicy(spec, _deps)
    case 'process':
      return createProcessPolicy(spec, _deps)
    default: {
      const never: never = spec
      throw new Error(`unknown policy ${(never as { kind: string }).kind}`)
    }
  }
}

/**
 * A tool the policy's own agent carries out (Claude Code's Bash, Edit, MCP tools…), or undefined
 * for Andon's tools. The spec's success tool (verify) is always Andon's: the convergence contract.
 */
export function hostedTool(spec: LoopSpec, name: string): AnyTool | undefined {
  if (spec.policy.kind !== 'claude-code' || name === spec.termination.successTool) return undefined
  return claudeCodeTool(spec.policy, name)
}

/** Why this installation cannot run the spec's policy at all (Claude Code absent), or null. */
export function policyInstallProblem(spec: LoopSpec, env: Record<string, string | undefined>): string | null {
  if (spec.policy.kind !== 'claude-code') return null
  const found = findClaudeCode(spec.policy, env)
  return typeof found === 'string' ? found : null
}

/**
 * Why a USD budget could not be enforced for this spec (a model with no known price and no
 * `pricing` while a loop or daily USD budget is set), or null. Launches and patches are refused.
 */
export function pricingProblem(spec: LoopSpec, invariants: InvariantsSpec, deps: Pick<PolicyDeps, 'env' | 'backpressure'>): string | null {
  const p = spec.policy
  if ((p.kind !== 'anthropic' && p.kind !== 'claude-code') || p.pricing || priceFor(p.model)) return null
  const daily = backpressureOf(deps).ledger.limit
  const loopUsd = invariants.budget.usd
  if (loopUsd === undefined && daily === null) return null
  const which = loopUsd !== undefined ? `the loop's USD budget ($${loopUsd})` : `the daily budget ($${daily})`
  return (
    `no price is known for model "${p.model}", so ${which} cannot be enforced: add policy.pricing ` +
    `{ inputPerMTok, outputPerMTok } to the spec, or use a listed model (${Object.keys(PRICES).join(', ')})`
  )
}
