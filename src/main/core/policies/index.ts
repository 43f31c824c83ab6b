/** Build the policy a spec names. Dependencies (API clients, the store) come from the caller. */
import type { PolicySpec } from '../../../shared/spec'
import type { TraceStore } from '../store/trace-store'
import type { Policy } from './policy'
import { PolicyError } from './policy'
import { createRulesPolicy } from './rules'

export interface PolicyDeps {
  store: TraceStore
  /** Environment to read API keys from (process.env, or the Electron shell's safeStorage view). */
  env: Record<string, string | undefined>
}

export function createPolicy(spec: PolicySpec, _deps: PolicyDeps): Policy {
  switch (spec.kind) {
    case 'rules':
      return createRulesPolicy(spec)
    case 'replay':
      throw new PolicyError('config', 'the replay policy is not available yet')
    case 'anthropic':
      throw new PolicyError('config', 'the anthropic policy is not available yet')
    default: {
      const never: never = spec
      throw new Error(`unknown policy ${(never as { kind: string }).kind}`)
    }
  }
}
