/** Build the policy a spec names. Dependencies (API clients, the store) come from the caller. */
import type { PolicySpec } from '../../../shared/spec'
import type { TraceStore } from '../store/trace-store'
import type { Policy } from './policy'
import { createReplayPolicy } from './replay'
import { createRulesPolicy } from './rules'
import { createAnthropicPolicy } from './anthropic'
import type { Backpressure } from '../backpressure'

export interface PolicyDeps {
  store: TraceStore
  /** Environment to read API keys from (process.env, or the Electron shell's safeStorage view). */
  env: Record<string, string | undefined>
  /** Shared retries, circuit breakers, concurrency limits and daily budget; a process-wide one if absent. */
  backpressure?: Backpressure
}

export function createPolicy(spec: PolicySpec, _deps: PolicyDeps): Policy {
  switch (spec.kind) {
    case 'rules':
      return createRulesPolicy(spec)
    case 'replay':
      return createReplayPolicy(spec, _deps.store)
    case 'anthropic':
      return createAnthropicPolicy(spec, _deps)
    default: {
      const never: never = spec
      throw new Error(`unknown policy ${(never as { kind: string }).kind}`)
    }
  }
}
