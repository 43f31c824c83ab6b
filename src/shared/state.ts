/**
 * Loop state is a pure fold over the loop's events: `evolve(state, event)`.
 * The core, the projections and the renderer's time-travel view all use this one fold.
 */
import type { EscalationPacket } from './escalation'
import type { GateRule, LoopEvent, Observation, TerminationReason, Usage } from './events'
import type { EditableState, PatchOp, StatePatch } from './patch'
import type { Action, AutonomyMode, InvariantsSpec, LoopSpec, RiskLevel } from './spec'

export type LoopStatus =
  | 'created'
  | 'running'
  | 'paused'
  | 'awaiting-approval'
  | 'escalated'
  | 'interrupted'
  | 'terminated'

export interface PendingCall {
  callId: string
  iteration: number
  action: Action
  risk: RiskLevel
  needsApproval: boolean
  /** null while waiting, true once approved (possibly with edited args), false when rejected. */
  approved: boolean | null
  /** Suggest-only: nothing runs until the operator runs it, edits and runs it, answers it or dismisses it. */
  suggestion: boolean
  /** The approval rule that decided the call (null: the autonomy mode did). */
  rule: GateRule | null
}

/** The operator's answer to a waiting call, which stood in for its outcome. */
export interface CallAnswer {
  callId: string
  iteration: number
  by: string
  ok: boolean
  answer: string
}

export interface OpenToolCall {
  callId: string
  tool: string
  args: Record<string, unknown>
  idempotencyKey: string
  idempotent: boolean
}

/** A proposal the operator turned down: the policy sees every one since the last observation. */
export interface Rejection {
  iteration: number
  action: Action
  reason: string
  by: string
}

export interface LoopState {
  loopId: string
  version: number
  spec: LoopSpec
  specPath: string | null
  workspace: string | null
  parentLoopId: string | null
  forkedAtVersion: number | null
  readOnly: boolean
  /** How calls are gated now: the spec's mode at creation, changed by `setAutonomy` patches. */
  autonomy: AutonomyMode
  status: LoopStatus
  iteration: number
  subgoal: string
  facts: string[]
  memory: Record<string, unknown>
  invariants: InvariantsSpec
  lastObservation: Observation | null
  /** Stable keys of the last few calls that ran, newest last: the looping check reads them. */
  recentActionKeys: string[]
  /** The last call that ran (or started): what the spec's own after-iteration invariants see as `call`. */
  lastCall: Action | null
  lastProgressIteration: number
  errorStreak: number
  usage: Usage
  /** Wall time spent running, excluding pauses, waits for a human and time the host was down. */
  activeMs: number
  runningSince: number | null
  lastConfidence: number | null
  pendingCall: PendingCall | null
  openCall: OpenToolCall | null
  /** The operator chose to re-run a call whose outcome is unknown. */
  retryApproved: boolean
  escalation: EscalationPacket | null
  /** The last call the operator answered instead of running. */
  lastAnswer: CallAnswer | null
  /** Proposals rejected since the last observation, oldest first. */
  rejections: Rejection[]
  /** An iteration that ended (observed or rejected) and whose invariants are not checked yet. */
  uncheckedIteration: number | null
  /** An iteration whose decision is not made yet: a resumed loop decides it again, not a new one. */
  decidingIteration: number | null
  /** The provider asked not to be called before this time (epoch ms). */
  retryAt: number | null
  /** A pause that ends by itself at this time (epoch ms), e.g. when a provider's circuit may close. */
  autoResumeAt: number | null
  /** Who paused the loop and why, while it is paused. */
  pause: { by: string; reason: string } | null
  termination: { reason: TerminationReason; detail: string } | null
  createdAt: number
  /** When the loop first started (epoch ms); null until then. */
  startedAt: number | null
  /** When the loop terminated (epoch ms). */
  endedAt: number | null
  updatedAt: number
}

/** Events as the fold sees them: the event plus its position and time. */
export type FoldEvent = LoopEvent & { loopId: string; version: number; at: number }

export function initialState(loopId: string): LoopState {
  return {
    loopId,
    version: 0,
    spec: undefined as unknown as LoopSpec,
    specPath: null,
    workspace: null,
    parentLoopId: null,
    forkedAtVersion: null,
    readOnly: false,
    autonomy: 'autonomous',
    status: 'created',
    iteration: 0,
    subgoal: '',
    facts: [],
    memory: {},
    invariants: undefined as unknown as InvariantsSpec,
    lastObservation: null,
    recentActionKeys: [],
    lastCall: null,
    lastProgressIteration: 0,
    errorStreak: 0,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    activeMs: 0,
    runningSince: null,
    lastConfidence: null,
    pendingCall: null,
    openCall: null,
    retryApproved: false,
    escalation: null,
    lastAnswer: null,
    rejections: [],
    uncheckedIteration: null,
    decidingIteration: null,
    retryAt: null,
    autoResumeAt: null,
    pause: null,
    termination: null,
    createdAt: 0,
    startedAt: null,
    endedAt: null,
    updatedAt: 0
  }
}

/** Who refused a call when the spec's own invariants did (`invariant a, b`), and back. */
export function refusedBy(invariants: string[]): string {
  return `invariant ${invariants.join(', ')}`
}
export function refusingInvariants(by: string): string[] | null {
  return by.startsWith('invariant ') ? by.slice('invariant '.length).split(', ') : null
}

/**
 * Who refused a call, read from its ActionRejected `by`: the spec's invariants (`invariant a, b`),
 * an approval rule (`rule deny <pattern>`), suggest-only (in older records), else an operator.
 * Only an operator's refusal is a rejection; the others are the spec's guardrails at work.
 */
export type RefusalSource = 'operator' | 'invariant' | 'rule' | 'suggest-only'

/** Who refused a call a deny rule matched: `rule deny run_command(rm:*)` (read back by refusalSource). */
export function deniedBy(pattern: string): string {
  return `rule deny ${pattern}`
}

export function refusalSource(by: string): RefusalSource {
  if (refusingInvariants(by) !== null) return 'invariant'
  if (by.startsWith('rule ')) return 'rule'
  if (by === 'suggest-only') return 'suggest-only'
  return 'operator'
}

/** A stable key for an action: same tool and same args give the same key whatever the key order. */
export function actionKey(action: Action): string {
  return `${action.tool}:${stableJson(action.args)}`
}

export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
}

const RECENT_ACTIONS = 10

function addUsage(a: Usage, b: Usage): Usage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens, costUsd: a.costUsd + b.costUsd }
}

function stopClock(s: LoopState, at: number): LoopState {
  if (s.runningSince === null) return s
  return { ...s, activeMs: s.activeMs + Math.max(0, at - s.runningSince), runningSince: null }
}

function startClock(s: LoopState, at: number): LoopState {
  return s.runningSince === null ? { ...s, runningSince: at } : s
}

/** Events that change nothing in state but its version: a fold may skip them and advance the version once. */
export const STATE_NEUTRAL_EVENTS: ReadonlySet<string> = new Set(['ToolOutput', 'Forked'])

/**
 * Decision failures where no model call was made (an open circuit, the daily budget): the
 * iteration is decided again when the loop resumes instead of being used up.
 */
export const NOT_ATTEMPTED_KINDS: ReadonlySet<string> = new Set(['circuit-open', 'daily-budget'])

/** Started or resumed: a call still waiting for the operator keeps the loop waiting (and its clock stopped). */
function resumed(s: LoopState, at: number): LoopState {
  const base = { ...s, escalation: null, autoResumeAt: null, pause: null, startedAt: s.startedAt ?? at }
  if (s.pendingCall && s.pendingCall.approved === null) return { ...base, status: 'awaiting-approval' }
  return startClock({ ...base, status: 'running' }, at)
}

export function evolve(state: LoopState, event: FoldEvent): LoopState {
  const s: LoopState = { ...state, version: event.version, updatedAt: event.at }
  switch (event.type) {
    case 'LoopCreated': {
      const d = event.data
      const start = d.startState ?? {}
      return {
        ...s,
        ...start,
        loopId: event.loopId,
        version: event.version,
        spec: d.spec,
        specPath: d.specPath,
        workspace: d.workspace,
        parentLoopId: d.parentLoopId,
        forkedAtVersion: d.forkedAtVersion,
        readOnly: d.readOnly,
        autonomy: d.spec.autonomy,
        status: 'created',
        invariants: start.invariants ?? d.spec.invariants,
        subgoal: start.subgoal ?? '',
        runningSince: null,
        pendingCall: null,
        openCall: null,
        escalation: null,
        termination: null,
        pause: null,
        createdAt: event.at,
        startedAt: null,
        endedAt: null,
        updatedAt: event.at
      }
    }
    case 'Started':
    case 'Resumed':
      return resumed(s, event.at)
    case 'IterationStarted':
      return { ...s, iteration: event.data.iteration, decidingIteration: event.data.iteration }
    case 'DecisionMade':
      return {
        ...s,
        subgoal: event.data.subgoal || s.subgoal,
        lastConfidence: event.data.confidence,
        usage: addUsage(s.usage, event.data.usage),
        decidingIteration: null,
        retryAt: null
      }
    case 'DecisionFailed':
      return {
        ...s,
        usage: addUsage(s.usage, event.data.usage),
        decidingIteration: NOT_ATTEMPTED_KINDS.has(event.data.kind) ? s.decidingIteration : null,
        retryAt: null
      }
    case 'DecisionDelayed':
      return { ...s, retryAt: event.data.until }
    case 'ActionProposed': {
      const d = event.data
      const pending: PendingCall = {
        callId: d.callId,
        iteration: d.iteration,
        action: d.action,
        risk: d.risk,
        needsApproval: d.needsApproval,
        approved: d.needsApproval ? null : true,
        suggestion: d.suggestion ?? false,
        rule: d.rule ?? null
      }
      const waiting = d.needsApproval
      const next = { ...s, pendingCall: pending, status: waiting ? ('awaiting-approval' as const) : s.status }
      return waiting ? stopClock(next, event.at) : next
    }
    case 'ActionApproved': {
      if (!s.pendingCall || s.pendingCall.callId !== event.data.callId) return s
      const args = event.data.editedArgs ?? s.pendingCall.action.args
      return startClock(
        {
          ...s,
          status: s.status === 'awaiting-approval' ? 'running' : s.status,
          pendingCall: { ...s.pendingCall, approved: true, action: { ...s.pendingCall.action, args } }
        },
        event.at
      )
    }
    case 'ActionRejected': {
      const pc = s.pendingCall
      if (!pc || pc.callId !== event.data.callId) return s
      // A rejected call never ran: it is not a repeated call, but its iteration is over and gets checked.
      const rejection: Rejection = { iteration: pc.iteration, action: pc.action, reason: event.data.reason, by: event.data.by }
      return startClock(
        {
          ...s,
          status: s.status === 'awaiting-approval' ? 'running' : s.status,
          pendingCall: null,
          rejections: [...s.rejections, rejection].slice(-RECENT_ACTIONS),
          uncheckedIteration: pc.iteration
        },
        event.at
      )
    }
    case 'ActionAnswered': {
      // The answer stands in for the call's outcome: its Observed follows and ends the iteration.
      const pc = s.pendingCall
      if (!pc || pc.callId !== event.data.callId) return s
      const { by, ok, answer } = event.data
      const lastAnswer: CallAnswer = { callId: pc.callId, iteration: pc.iteration, by, ok, answer }
      return startClock({ ...s, status: s.status === 'awaiting-approval' ? 'running' : s.status, pendingCall: null, lastAnswer }, event.at)
    }
    case 'ToolStarted': {
      const d = event.data
      return {
        ...s,
        openCall: { callId: d.callId, tool: d.tool, args: d.args, idempotencyKey: d.idempotencyKey, idempotent: d.idempotent },
        lastCall: { tool: d.tool, args: d.args },
        recentActionKeys: [...s.recentActionKeys, actionKey({ tool: d.tool, args: d.args })].slice(-RECENT_ACTIONS)
      }
    }
    case 'ToolOutput':
      return s
    case 'ToolFinished':
      return {
        ...s,
        openCall: null,
        retryApproved: false,
        pendingCall: null,
        // An outcome the operator reported is not a tool error.
        errorStreak: event.data.ok ? 0 : event.data.resolvedBy ? s.errorStreak : s.errorStreak + 1
      }
    case 'Observed':
      return {
        ...s,
        lastObservation: event.data.observation,
        lastProgressIteration: event.data.progress ? event.data.iteration : s.lastProgressIteration,
        rejections: [],
        uncheckedIteration: event.data.iteration
      }
    case 'InvariantChecked':
      return s.uncheckedIteration === event.data.iteration ? { ...s, uncheckedIteration: null } : s
    case 'Escalated':
      return stopClock({ ...s, status: 'escalated', escalation: event.data.packet }, event.at)
    case 'EscalationResolved':
      if (s.escalation?.id !== event.data.escalationId) return s
      return { ...s, escalation: null, retryApproved: event.data.resolution === 'retry' && s.openCall !== null }
    case 'StatePatched': {
      // Changing only the autonomy mode leaves progress and the looping counters alone.
      if (onlySetsAutonomy(event.data.patch)) return { ...s, autonomy: autonomyAfter(s.autonomy, event.data.patch) }
      const patched = { ...withEditable(s, applyOps(editableState(s), event.data.patch)), autonomy: autonomyAfter(s.autonomy, event.data.patch) }
      if (!event.data.patch.ops.some((op) => op.op === 'setSeverity')) return patched
      // Invariants the operator relaxed to warnings withdraw their refusals: the policy may propose those calls again.
      const warnOnly = new Set(patched.invariants.custom.filter((c) => c.severity === 'warn').map((c) => c.name))
      const withdrawn = (by: string) => refusingInvariants(by)?.every((name) => warnOnly.has(name)) ?? false
      return { ...patched, rejections: s.rejections.filter((r) => !withdrawn(r.by)) }
    }
    case 'Paused':
      return stopClock(
        { ...s, status: 'paused', autoResumeAt: event.data.resumeAt ?? null, pause: { by: event.data.by, reason: event.data.reason } },
        event.at
      )
    case 'Interrupted':
      // The host was down from when it was last alive until now: that is not active time.
      return stopClock({ ...s, status: 'interrupted' }, event.data.lastAliveAt ?? state.updatedAt)
    case 'Forked':
      return s
    case 'Terminated':
      return stopClock(
        {
          ...s,
          status: 'terminated',
          termination: { reason: event.data.reason, detail: event.data.detail },
          endedAt: event.at,
          pause: null,
          pendingCall: null
        },
        event.at
      )
    default: {
      // A new event type without a case is a compile error; at run time the fold stays total.
      const never: never = event
      return never
    }
  }
}

export function fold(loopId: string, events: Iterable<FoldEvent>, from: LoopState = initialState(loopId)): LoopState {
  let s = from
  for (const ev of events) s = evolve(s, ev)
  return s
}

export function editableState(s: LoopState): EditableState {
  return { subgoal: s.subgoal, facts: s.facts, memory: s.memory, invariants: s.invariants }
}

/** Apply ops without validation: the fold trusts recorded patches (they were validated before recording). */
export function applyOps(current: EditableState, patch: StatePatch): EditableState {
  return patch.ops.reduce(applyOp, current)
}

export function withEditable(s: LoopState, next: EditableState): LoopState {
  // Progress is measured from the patch on: the operator has just changed what the loop knows.
  return { ...s, ...next, lastProgressIteration: s.iteration, recentActionKeys: [], errorStreak: 0 }
}

function applyOp(st: EditableState, op: PatchOp): EditableState {
  switch (op.op) {
    case 'addFact':
      return st.facts.includes(op.fact) ? st : { ...st, facts: [...st.facts, op.fact] }
    case 'removeFact':
      return { ...st, facts: st.facts.filter((f) => f !== op.fact) }
    case 'setSubgoal':
      return { ...st, subgoal: op.subgoal }
    case 'setInvariant':
      return { ...st, invariants: { ...st.invariants, [op.name]: op.value } }
    case 'setBudget':
      return { ...st, invariants: { ...st.invariants, budget: { ...st.invariants.budget, ...op.budget } } }
    case 'setSeverity': {
      const custom = st.invariants.custom.map((c) => (c.name === op.name ? { ...c, severity: op.severity } : c))
      return { ...st, invariants: { ...st.invariants, custom } }
    }
    case 'setMemory':
      return { ...st, memory: { ...st.memory, [op.key]: op.value } }
    case 'deleteMemory': {
      const memory = { ...st.memory }
      delete memory[op.key]
      return { ...st, memory }
    }
    case 'setAutonomy':
      // Not part of the editable state: see autonomyAfter.
      return st
    case 'replace':
      return op.value
    default: {
      const never: never = op
      return never
    }
  }
}

export class PatchError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[]
  ) {
    super(message)
  }
}

/** The autonomy mode after a patch: its last `setAutonomy`, else the mode before it. */
export function autonomyAfter(current: AutonomyMode, patch: StatePatch): AutonomyMode {
  return patch.ops.reduce((mode, op) => (op.op === 'setAutonomy' ? op.mode : mode), current)
}

/** A patch that only changes the autonomy mode (allowed while the loop runs, without a version check). */
export function onlySetsAutonomy(patch: StatePatch): boolean {
  return patch.ops.every((op) => op.op === 'setAutonomy')
}
