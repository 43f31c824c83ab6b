/**
 * A spec's track record: what each of its tools did under supervision (proposed, let through,
 * approved, edited, rejected, answered, and how the runs went), and the allow rules that record
 * suggests. Suggestions are only offered; nothing is promoted without the operator adding a rule.
 */

/** What an operator decided about a call that waited for them. */
export type OperatorDecision = 'approved' | 'edited' | 'rejected' | 'answered'

/**
 * How a call that ran (or was meant to) ended: its tool finished ok or failed; `reported`: the
 * host died mid-call and the operator said what happened; `pending`: not finished yet; `not-run`.
 */
export type CallOutcome = 'ok' | 'failed' | 'reported' | 'pending' | 'not-run'

/** One operator decision, as the inbox and the spec page list them. */
export interface DecisionEntry {
  loopId: string
  callId: string
  tool: string
  /** The call's primary argument (a command, a path) or its arguments in short; at most 200 characters. */
  argument: string
  decision: OperatorDecision
  by: string
  /** When the decision was recorded (epoch ms). */
  at: number
  /** A rejection's reason or an answer's text (capped), else null. */
  note: string | null
  outcome: CallOutcome
}

export interface ToolTrackRecord {
  tool: string
  /** Every call the policy proposed (within the window). */
  proposals: number
  /** Calls the gate ran without asking: by the autonomy mode, or by an allow rule. */
  ranUnasked: { total: number; byMode: number; byRule: number }
  /** Decisions of the operator on calls that waited for them. */
  operator: { decisions: number; approved: number; edited: number; rejected: number; answered: number }
  /** Calls refused before the operator saw them: by the spec's invariants, a deny rule, or suggest-only. */
  refused: number
  /** Calls still waiting, or whose loop ended before anyone decided. */
  undecided: number
  /** Calls that ran, by outcome. */
  runs: { finished: number; ok: number; failed: number; reported: number }
  /** Unedited approvals since the operator last edited, rejected or answered a call of this tool. */
  streak: number
  /** The operator's most recent decisions on this tool, newest first (at most 10). */
  recent: DecisionEntry[]
}

/** The evidence behind a suggestion: the unbroken run of unedited approvals it stands on. */
export interface PromotionEvidence {
  /** Unedited approvals in a row, newest back to the last edit, rejection or answer. */
  approvedUnedited: number
  /** Of those calls: how many ran to an outcome, and how many of those failed. */
  ran: number
  failed: number
  /** In how many loops of the spec those approvals were given. */
  loops: number
  /** The oldest and newest approval of the run (epoch ms). */
  since: number
  until: number
}

/** "Allow these calls without asking?": an allow rule the operator may add, with the evidence for it. */
export interface PromotionSuggestion {
  tool: string
  effect: 'allow'
  /** The rule pattern to add: `read_file(src/**)`, `run_command(npm test:*)`, or the tool alone. */
  pattern: string
  /** One sentence for the operator: the evidence and the question. */
  text: string
  evidence: PromotionEvidence
}

/** A tool whose approvals reached the streak but that is not suggested, and why. */
export interface WithheldPromotion {
  tool: string
  /**
   * `failures`: too many of its runs failed; `no-narrow-pattern`: no pattern narrow enough covers
   * them (a command or path tool is never suggested bare); `decided-by-rule`: an ask or deny rule
   * decides these calls, and it beats any allow.
   */
  why: 'failures' | 'no-narrow-pattern' | 'decided-by-rule'
  text: string
  evidence: PromotionEvidence
}

export interface PromotionSettings {
  /** How many unedited approvals in a row make a suggestion (at least 5). */
  streak: number
  /** The largest share of those calls' runs that may have failed (0–1). */
  maxFailureShare: number
}

export const DEFAULT_PROMOTION_SETTINGS: PromotionSettings = { streak: 20, maxFailureShare: 0.1 }
export const MIN_PROMOTION_STREAK = 5

export interface TrackRecord {
  specName: string
  /** Per tool, most proposed first. */
  tools: ToolTrackRecord[]
  /** The operator's most recent decisions across tools, newest first (at most 20). */
  recentDecisions: DecisionEntry[]
  suggestions: PromotionSuggestion[]
  withheld: WithheldPromotion[]
  settings: PromotionSettings
  /**
   * How much history was read: the most recent `limit` proposals of the spec's loops. `truncated`:
   * there were older ones, left out. `unreadable`: stored events that no longer parse, skipped.
   */
  window: { calls: number; limit: number; truncated: boolean; unreadable: number }
  /**
   * Loops of this spec counted; imported (read-only) loops left out (their history happened
   * elsewhere) and eval runs left out (cases and gate runs, tagged `eval`: no operator supervised them).
   */
  loops: { counted: number; importedExcluded: number; evalExcluded: number }
}
