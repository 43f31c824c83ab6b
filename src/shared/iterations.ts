/**
 * Iteration rows: the timeline projection, one row per iteration, folded from events.
 * The core keeps it as a table; the renderer folds pushed events into the same rows.
 */
import type { GateRule, LoopEvent, Usage } from './events'
import type { Action } from './spec'

export interface IterationRow {
  iteration: number
  startedAt: number
  finishedAt: number | null
  firstVersion: number
  lastVersion: number
  action: Action | null
  subgoal: string
  confidence: number | null
  rationale: string
  /** `answered`: the operator answered the call instead of running it (the result is the answer). */
  approval: 'auto' | 'pending' | 'approved' | 'edited' | 'rejected' | 'answered' | null
  /** The approval rule that decided the call (allowed without asking, asked, or denied), if one did. */
  rule?: GateRule
  /** Suggest-only: the call was a suggestion, run only by the operator. */
  suggestion?: boolean
  /** After an edited approval: the args the policy proposed (`action` holds the edit that ran). */
  proposedArgs?: Record<string, unknown>
  result: { ok: boolean; summary: string; exitCode: number | null } | null
  invariants: { checked: number; failing: string[] } | null
  inputTokens: number
  outputTokens: number
  costUsd: number
  latencyMs: number | null
  toolMs: number | null
  /** Andon stopped while this iteration ran; it was carried on after the restart. */
  interrupted: boolean
  /** What stopped the iteration before it finished, and when (absent in rows projected before it was kept). */
  cutShort?: { how: 'interrupted' | 'cancelled' | 'terminated'; at: number; detail: string } | null
}

type RowEvent = LoopEvent & { version: number; at: number }

function addRowUsage(row: IterationRow, u: Usage): void {
  row.inputTokens += u.inputTokens
  row.outputTokens += u.outputTokens
  row.costUsd += u.costUsd
}

function blankRow(iteration: number, ev: RowEvent): IterationRow {
  return {
    iteration,
    startedAt: ev.at,
    finishedAt: null,
    firstVersion: ev.version,
    lastVersion: ev.version,
    action: null,
    subgoal: '',
    confidence: null,
    rationale: '',
    approval: null,
    result: null,
    invariants: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    latencyMs: null,
    toolMs: null,
    interrupted: false,
    cutShort: null
  }
}

/**
 * Fold one event into the rows (sorted by iteration). Returns the row it touched, or null
 * when the event belongs to no iteration. Mutates `rows` in place: it is a projection.
 */
export function foldIterationRow(rows: IterationRow[], ev: RowEvent): IterationRow | null {
  if (ev.type === 'IterationStarted') {
    const row = blankRow(ev.data.iteration, ev)
    const at = rows.findIndex((r) => r.iteration === row.iteration)
    if (at >= 0) rows[at] = row
    else rows.push(row)
    return row
  }
  const row = rows[rows.length - 1]
  if (!row) return null
  switch (ev.type) {
    case 'DecisionMade':
      row.action = ev.data.action
      row.subgoal = ev.data.subgoal
      row.confidence = ev.data.confidence
      row.rationale = ev.data.rationale
      addRowUsage(row, ev.data.usage)
      row.latencyMs = ev.data.latencyMs
      break
    case 'DecisionFailed':
      addRowUsage(row, ev.data.usage)
      row.latencyMs = ev.data.latencyMs
      row.result = { ok: false, summary: `decision failed (${ev.data.kind}): ${ev.data.message}`.slice(0, 500), exitCode: null }
      break
    case 'ActionProposed':
      row.action = ev.data.action
      row.approval = ev.data.needsApproval ? 'pending' : 'auto'
      if (ev.data.rule) row.rule = ev.data.rule
      if (ev.data.suggestion) row.suggestion = true
      break
    case 'ActionApproved':
      row.approval = ev.data.editedArgs ? 'edited' : row.approval === 'auto' ? 'auto' : 'approved'
      if (ev.data.editedArgs && row.action) {
        row.proposedArgs = row.action.args
        row.action = { ...row.action, args: ev.data.editedArgs }
      }
      break
    case 'ActionRejected':
      row.approval = 'rejected'
      row.result = { ok: false, summary: `rejected: ${ev.data.reason}`, exitCode: null }
      break
    case 'ActionAnswered':
      row.approval = 'answered'
      break
    case 'ToolFinished':
      row.toolMs = ev.data.durationMs
      break
    case 'Observed':
      row.result = { ok: ev.data.observation.ok, summary: ev.data.observation.summary, exitCode: ev.data.observation.exitCode }
      break
    case 'Interrupted':
      if (row.finishedAt !== null) return null
      row.interrupted = true
      row.cutShort = { how: 'interrupted', at: ev.at, detail: ev.data.detail }
      break
    case 'Terminated':
      if (row.finishedAt !== null) return null
      row.cutShort = {
        how: ev.data.reason === 'CANCELLED' ? 'cancelled' : 'terminated',
        at: ev.at,
        detail: [ev.data.reason, ev.data.detail].filter(Boolean).join(': ')
      }
      row.finishedAt = ev.at
      break
    case 'InvariantChecked':
      row.invariants = {
        checked: ev.data.results.length,
        failing: ev.data.results.filter((r) => !r.ok).map((r) => r.name)
      }
      row.finishedAt = ev.at
      break
    default:
      return null
  }
  row.lastVersion = ev.version
  return row
}

/** Rows per page: getLoop sends the newest page, and the timeline fetches the others as it scrolls. */
export const ITERATION_PAGE = 200
/** The most rows one getIterations call returns. */
export const ITERATION_PAGE_MAX = 1000

/**
 * Which iterations a loop has rows for: every one from `first` to `last` (the engine numbers them
 * one by one; a fork's first is its fork point, not 1). Both 0 while it has none.
 */
export interface IterationSpan {
  first: number
  last: number
}

/** How many rows a span holds. */
export const spanCount = (s: IterationSpan): number => (s.last === 0 ? 0 : s.last - s.first + 1)
