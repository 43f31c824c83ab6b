/** Per-tool counts and recent decisions from a spec's call records. Pure. */
import type { DecisionEntry, OperatorDecision, ToolTrackRecord } from '../../../shared/track-record'
import type { CallRecord } from './calls'
import { argumentSummary } from './argument-summary'

const RECENT_PER_TOOL = 10
export const RECENT_OVERALL = 20

export function isOperatorDecision(c: CallRecord): c is CallRecord & { decision: OperatorDecision } {
  return c.decision === 'approved' || c.decision === 'edited' || c.decision === 'rejected' || c.decision === 'answered'
}

/** The operator's decisions, newest first (by when each was recorded, across loops). */
export function operatorDecisions(calls: CallRecord[]): (CallRecord & { decision: OperatorDecision })[] {
  return calls.filter(isOperatorDecision).sort((a, b) => b.decidedSeq - a.decidedSeq)
}

/** Unedited approvals, newest first, up to the first edit, rejection or answer. */
export function approvalStreak(newestFirst: (CallRecord & { decision: OperatorDecision })[]): CallRecord[] {
  const i = newestFirst.findIndex((c) => c.decision !== 'approved')
  return i === -1 ? newestFirst : newestFirst.slice(0, i)
}

export function decisionEntry(c: CallRecord & { decision: OperatorDecision }): DecisionEntry {
  return {
    loopId: c.loopId,
    callId: c.callId,
    tool: c.tool,
    argument: argumentSummary(c.tool, c.args),
    decision: c.decision,
    by: c.by ?? '',
    at: c.decidedAt,
    note: c.note,
    outcome: c.outcome
  }
}

export function toolRecord(tool: string, calls: CallRecord[]): ToolTrackRecord {
  const count = (pred: (c: CallRecord) => boolean) => calls.reduce((n, c) => n + (pred(c) ? 1 : 0), 0)
  const decided = operatorDecisions(calls)
  return {
    tool,
    proposals: calls.length,
    ranUnasked: {
      total: count((c) => c.decision === 'ran-unasked'),
      byMode: count((c) => c.decision === 'ran-unasked' && c.gate === 'mode'),
      byRule: count((c) => c.decision === 'ran-unasked' && c.gate === 'rule')
    },
    operator: {
      decisions: decided.length,
      approved: count((c) => c.decision === 'approved'),
      edited: count((c) => c.decision === 'edited'),
      rejected: count((c) => c.decision === 'rejected'),
      answered: count((c) => c.decision === 'answered')
    },
    refused: count((c) => c.decision === 'refused'),
    undecided: count((c) => c.decision === 'undecided'),
    runs: {
      finished: count((c) => c.outcome === 'ok' || c.outcome === 'failed' || c.outcome === 'reported'),
      ok: count((c) => c.outcome === 'ok'),
      failed: count((c) => c.outcome === 'failed'),
      reported: count((c) => c.outcome === 'reported')
    },
    streak: approvalStreak(decided).length,
    recent: decided.slice(0, RECENT_PER_TOOL).map(decisionEntry)
  }
}

/** Calls grouped by tool, the most proposed tool first (then by name). */
export function byTool(calls: CallRecord[]): Map<string, CallRecord[]> {
  const groups = new Map<string, CallRecord[]>()
  for (const c of calls) {
    const list = groups.get(c.tool)
    if (list) list.push(c)
    else groups.set(c.tool, [c])
  }
  return new Map([...groups].sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : a > b ? 1 : 0)))
}
