/**
 * Runs that failed in known ways, each recorded from the real engine into <name>.jsonl
 * (root-cause-histories.int.test.ts), with the root cause each of its stops must be classified as.
 */
import type { RootCause } from '../../../src/shared/root-cause'

export type Expected = Pick<RootCause, 'category' | 'invariant' | 'firstFailingIteration'>

/** Per recorded history: the expected root cause of each stop (an escalation or a failed termination), in order. */
export const ROOT_CAUSE_CASES: Record<string, Expected[]> = {
  looping: [{ category: 'looping', invariant: 'no-looping', firstFailingIteration: 1 }],
  'tool-error': [{ category: 'tool-error', invariant: 'tool-error-streak', firstFailingIteration: 2 }],
  'verify-regression': [{ category: 'verify-regression', invariant: 'progress', firstFailingIteration: 4 }],
  // Escalated, then aborted: the termination keeps the escalation's root cause.
  'operator-rejection': [
    { category: 'operator-rejection', invariant: 'progress', firstFailingIteration: 1 },
    { category: 'operator-rejection', invariant: 'progress', firstFailingIteration: 1 }
  ],
  // Spec deny rules refused every call until the progress invariant escalated: the spec's guardrail, not the operator.
  'rule-refusals': [
    { category: 'guardrail', invariant: 'progress', firstFailingIteration: 1 },
    { category: 'guardrail', invariant: 'progress', firstFailingIteration: 1 }
  ],
  stalled: [{ category: 'stalled', invariant: 'progress', firstFailingIteration: 3 }],
  guardrail: [{ category: 'guardrail', invariant: 'no-shell', firstFailingIteration: 2 }],
  'iteration-cap': [{ category: 'budget', invariant: 'iteration-cap', firstFailingIteration: 3 }],
  budget: [{ category: 'budget', invariant: 'budget', firstFailingIteration: 2 }],
  'malformed-output': [{ category: 'malformed-output', invariant: 'valid-tool-call', firstFailingIteration: 2 }],
  provider: [{ category: 'provider', invariant: 'policy-ok', firstFailingIteration: 1 }],
  interrupted: [{ category: 'interrupted', invariant: null, firstFailingIteration: 1 }]
}
