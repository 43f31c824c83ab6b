/**
 * Root-cause classification of a run that escalated or ended without success. Pure: the loop's
 * state and recent events in, one category out, with the invariant that stopped the run, the
 * first iteration of the streak or trend that led there, and a sentence saying why.
 *
 * Each invariant that stopped the run proposes a category (categories.ts), refined from the
 * history; of several, the one earliest in RootCauseCategory's order wins (most specific first).
 */
import type { EscalationKind } from '../../../shared/escalation'
import type { StoredEvent, TerminationReason } from '../../../shared/events'
import { RootCauseCategory, type RootCause } from '../../../shared/root-cause'
import { refusalSource, type LoopState } from '../../../shared/state'
import { categoryOfInvariant, MALFORMED_FAILURES, PROVIDER_FAILURES } from './categories'
import { firstOfFailingRun, readTrail, trailingStreak, type Step, type Trail } from './trail'

export interface ClassifyInput {
  state: LoopState
  /** The loop's events, at least the last few dozen iterations' worth. */
  events: StoredEvent[]
  /** How the run stopped: an escalation (with its failing invariants) or a termination. */
  stop:
    | { kind: 'escalated'; failing: string[]; summary: string; escalation?: EscalationKind }
    | { kind: 'terminated'; reason: TerminationReason; detail: string }
}

interface Finding {
  category: RootCauseCategory
  invariant: string | null
  firstFailingIteration: number | null
  detail: string
}

const ORDER = RootCauseCategory.options

/** The invariants that stopped the run: the escalation's, or the one a termination names. */
function stoppedBy(stop: ClassifyInput['stop']): string[] {
  if (stop.kind === 'escalated') return stop.failing
  if (stop.reason === 'MAX_ITERATIONS') return ['iteration-cap']
  if (stop.reason === 'BUDGET_EXHAUSTED') return ['budget']
  const named = /^invariant (\S+) failed/.exec(stop.detail)
  return named ? [named[1]] : []
}

export function classifyRun(input: ClassifyInput): RootCause {
  const { state, stop } = input
  const trail = readTrail(input.events)
  const why = (stop.kind === 'escalated' ? stop.summary : stop.detail).slice(0, 600)
  const at = state.pendingCall?.iteration ?? state.iteration
  if (stop.kind === 'escalated' && stop.escalation === 'outcome-unknown') {
    const tool = state.openCall?.tool ?? 'a call'
    return finish({ category: 'interrupted', invariant: null, firstFailingIteration: at, detail: `${tool} was cut off when Andon stopped; its outcome is unknown.` })
  }
  const findings = stoppedBy(stop).map((name) => refine(name, input, trail))
  if (findings.length === 0) {
    const category = stop.kind === 'terminated' && stop.reason === 'STALLED' ? 'stalled' : 'other'
    findings.push({ category, invariant: null, firstFailingIteration: at || null, detail: `The run stopped: ${why}` })
  }
  findings.sort((a, b) => ORDER.indexOf(a.category) - ORDER.indexOf(b.category))
  return finish(findings[0])
}

function finish(f: Finding): RootCause {
  return { ...f, detail: f.detail.slice(0, 2000) }
}

/** The category an invariant proposes, refined from the history, with where it started. */
function refine(name: string, input: ClassifyInput, trail: Trail): Finding {
  const { state } = input
  const base = categoryOfInvariant(name, state.invariants.custom)
  const found = (category: RootCauseCategory, first: number | null, detail: string): Finding => ({ category, invariant: name, firstFailingIteration: first, detail })
  switch (base) {
    case 'budget': {
      if (name === 'iteration-cap') return found('budget', state.iteration, `The iteration cap of ${state.invariants.maxIterations} was reached without success.`)
      return found('budget', firstOfFailingRun(trail, name) ?? state.iteration, `The ${name === 'daily-budget' ? 'daily budget' : 'budget'} ran out (${describeUsage(state)}).`)
    }
    case 'provider':
    case 'malformed-output': {
      const failed = trailingStreak(trail, (s) => s.decisionFailed !== undefined, (s) => s.decisionFailed === undefined && s.key === undefined)
      const kind = failed.at(-1)?.decisionFailed
      if (kind && MALFORMED_FAILURES.has(kind)) {
        const streak = failed.filter((s) => MALFORMED_FAILURES.has(s.decisionFailed!))
        return found('malformed-output', streak[0]?.iteration ?? null, `The model's reply was not a usable call (${kind})${inARow(streak.length)}.`)
      }
      if (base === 'malformed-output') {
        return found('malformed-output', firstOfFailingRun(trail, name) ?? state.iteration, `The model proposed a call Andon could not run (${name}).`)
      }
      if (kind && PROVIDER_FAILURES.has(kind)) {
        const streak = failed.filter((s) => PROVIDER_FAILURES.has(s.decisionFailed!))
        return found('provider', streak[0]?.iteration ?? null, `The provider failed (${kind}) past the retries${inARow(streak.length)}.`)
      }
      return found('other', failed[0]?.iteration ?? state.iteration, `The policy could not decide${kind ? ` (${kind})` : ''}.`)
    }
    case 'guardrail':
      return found('guardrail', firstOfFailingRun(trail, name) ?? state.iteration, `The spec's own invariant ${name} failed or refused a call.`)
    case 'looping': {
      const ran = (s: Step) => s.key !== undefined && s.rejectedBy === undefined
      const last = trail.steps.filter(ran).at(-1)
      const streak = last ? trailingStreak(trail, (s) => s.key === last.key, (s) => !ran(s)) : []
      return found('looping', streak[0]?.iteration ?? null, `${last?.tool ?? 'A call'} ran ${streak.length}× in a row with the same arguments.`)
    }
    case 'stalled':
    case 'tool-error':
      return rejectionsOrRegression(name, base, input, trail) ?? plainFinding(name, base, input, trail)
    case 'interrupted':
    case 'operator-rejection':
    case 'verify-regression':
    case 'other':
      return found(base, state.iteration || null, `The invariant ${name} stopped the run.`)
    default: {
      const never: never = base
      return never
    }
  }
}

/** A stall or an error streak that the operator's rejections or a regressed verify explain. */
function rejectionsOrRegression(name: string, base: 'stalled' | 'tool-error', input: ClassifyInput, trail: Trail): Finding | null {
  const { state } = input
  if (base === 'stalled') {
    const tail = trail.steps.filter((s) => s.iteration > Math.max(state.lastProgressIteration, trail.patchedAfter))
    const by = (who: 'operator' | 'guardrail') => tail.filter((s) => s.rejectedBy !== undefined && (refusalSource(s.rejectedBy) === 'operator') === (who === 'operator'))
    const rejected = by('operator')
    if (tail.length > 0 && rejected.length * 2 > tail.length) {
      return { category: 'operator-rejection', invariant: name, firstFailingIteration: rejected[0].iteration, detail: `The operator rejected ${rejected.length} of the last ${plural(tail.length, 'proposal')} without progress.` }
    }
    // Refused by the spec itself (a deny rule, an invariant): the guardrail stalled the run, not a person.
    const refused = by('guardrail')
    if (tail.length > 0 && refused.length * 2 > tail.length) {
      const who = [...new Set(refused.map((s) => s.rejectedBy!))].slice(0, 3).join('; ')
      return { category: 'guardrail', invariant: name, firstFailingIteration: refused[0].iteration, detail: `The spec refused ${refused.length} of the last ${plural(tail.length, 'proposal')} without progress (${who}).` }
    }
  }
  if (name === 'tools-available') return null
  const verify = state.spec.termination.successTool
  const runs = trail.steps.filter((s) => s.tool === verify && s.ok !== undefined)
  const lastPass = runs.findLastIndex((s) => s.ok === true)
  const failedSince = lastPass < 0 ? [] : runs.slice(lastPass + 1)
  if (failedSince.length > 0) {
    return { category: 'verify-regression', invariant: name, firstFailingIteration: failedSince[0].iteration, detail: `${verify} passed at iteration ${runs[lastPass].iteration} and has failed since iteration ${failedSince[0].iteration}.` }
  }
  return null
}

function plainFinding(name: string, base: 'stalled' | 'tool-error', input: ClassifyInput, trail: Trail): Finding {
  const { state } = input
  if (base === 'tool-error') {
    if (name === 'tools-available') return { category: 'tool-error', invariant: name, firstFailingIteration: state.iteration || null, detail: "The spec's tool servers could not be started." }
    const streak = trailingStreak(trail, (s) => s.ok === false, (s) => s.ok === undefined)
    const tools = [...new Set(streak.map((s) => s.tool))].join(', ')
    return { category: 'tool-error', invariant: name, firstFailingIteration: streak[0]?.iteration ?? null, detail: `${plural(streak.length, 'tool call')} failed in a row (${tools || 'no tool recorded'}).` }
  }
  if (name === 'confidence-floor') {
    return { category: 'stalled', invariant: name, firstFailingIteration: firstOfFailingRun(trail, name) ?? state.iteration, detail: `The policy's confidence fell under the floor of ${state.invariants.confidenceFloor}.` }
  }
  const first = Math.min(state.iteration, state.lastProgressIteration + 1)
  return { category: 'stalled', invariant: name, firstFailingIteration: first || null, detail: `No progress since iteration ${state.lastProgressIteration} (${plural(state.iteration - state.lastProgressIteration, 'iteration')}).` }
}

function describeUsage(s: LoopState): string {
  const tokens = s.usage.inputTokens + s.usage.outputTokens
  return `${tokens} tokens, $${s.usage.costUsd.toFixed(4)}`
}

function inARow(n: number): string {
  return n > 1 ? `, ${n} times in a row` : ''
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
