import { PolicyError, type PolicyErrorKind } from '../policies/policy'
import type { Usage } from '../../../shared/events'

/** Kinds worth another attempt: the provider may answer next time. */
export const TRANSIENT_KINDS: ReadonlySet<PolicyErrorKind> = new Set(['rate-limited', 'server', 'timeout'])

/** A provider call failure that may carry the provider's own wait hint (`retry-after`). */
export class ProviderError extends PolicyError {
  constructor(
    kind: PolicyErrorKind,
    message: string,
    readonly retryAfterMs: number | null = null,
    usage?: Usage,
    rawResponse?: unknown
  ) {
    super(kind, message, usage, rawResponse)
  }
}

export function isTransient(err: unknown): err is PolicyError {
  return err instanceof PolicyError && TRANSIENT_KINDS.has(err.kind)
}

export function retryAfterOf(err: unknown): number | null {
  return err instanceof ProviderError ? err.retryAfterMs : null
}
