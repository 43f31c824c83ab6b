/**
 * Which root-cause category each invariant points to when it is the one that stopped a run.
 * Every built-in invariant of the registry has an entry (a test holds the two together); a
 * spec's own invariant is a guardrail. The classifier refines some of these from the history
 * (a stall the operator's rejections explain, a tool-error streak that is a verify regression).
 */
import type { RootCauseCategory } from '../../../shared/root-cause'
import type { CustomInvariantSpec } from '../../../shared/spec'

export const BUILTIN_CATEGORY: Readonly<Record<string, RootCauseCategory>> = {
  'iteration-cap': 'budget',
  budget: 'budget',
  'daily-budget': 'budget',
  progress: 'stalled',
  'confidence-floor': 'stalled',
  'no-looping': 'looping',
  'tool-error-streak': 'tool-error',
  'tools-available': 'tool-error',
  'known-tool': 'malformed-output',
  'valid-tool-input': 'malformed-output',
  'valid-tool-call': 'malformed-output',
  'response-complete': 'malformed-output',
  'policy-ok': 'provider',
  'replay-matches': 'other',
  // Only ever recorded, never a reason to stop; a spec whose predicate cannot be evaluated is misconfigured.
  'success-predicate': 'other'
}

/** Failed decisions the provider is to blame for; the others of policy-ok are the model's reply or the setup. */
export const PROVIDER_FAILURES: ReadonlySet<string> = new Set(['rate-limited', 'server', 'timeout', 'circuit-open'])
export const MALFORMED_FAILURES: ReadonlySet<string> = new Set(['malformed-response', 'max-tokens', 'no-action'])

export function categoryOfInvariant(name: string, custom: readonly CustomInvariantSpec[]): RootCauseCategory {
  if (custom.some((c) => c.name === name)) return 'guardrail'
  return BUILTIN_CATEGORY[name] ?? 'provider'
}
