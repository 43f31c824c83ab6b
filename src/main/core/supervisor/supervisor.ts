/**
 * The supervisor owns the running loops: it creates them, drives them, and carries out the
 * operator's commands (pause, resume, cancel, approve, patch, fork) as recorded events.
 * Operator commands only append when the loop's driver is idle, so they never race it.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { InboxItem } from '../../../shared/contract'
import type { LoopEventInput } from '../../../shared/events'
import type { StatePatch } from '../../../shared/patch'
import type { LoopSpec } from '../../../shared/spec'
import { applyPatch, editableState, type LoopState } from '../../../shared/state'
import { LoopDriver } from '../engine/loop-driver'
import { createPolicy, type PolicyDeps } from '../policies'
import type { TraceStore } from '../store/trace-store'
import type { ToolRegistry } from '../tools/tool'
import { createWorkspace, replayFileEdits, templateDir } from './workspace'

export class CommandError extends Error {
  constructor(
    message: string,
    readonly status = 409
  ) {
    super(message)
  }
}

export interface SupervisorDeps {
  store: TraceStore
  tools: ToolRegistry
  dataDir: string
  env: Record<string, string | undefined>
  clock?: () => number
  policyDeps?: Partial<PolicyDeps>
}

const SHUTDOWN = 'shutdown'

/** Provider credentials a policy or tool may read from the environment: never recorded. */
export const PROVIDER_SECRET_NAMES = ['ANTHROPIC_API_KEY', 'GITHUB_TOKEN']

function providerSecrets(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of PROVIDER_SECRET_NAMES) if (env[name]) out[name] = env[name]!
  return out
}

export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`
}

export class Supervisor {
  private readonly drivers = new Map<string, LoopDriver>()
  private readonly autoResumes = new Map<string, NodeJS.Timeout>()
  private stopping = false
  private readonly clock: () => number

  constructor(private readonly deps: SupervisorDeps) {
    this.clock = deps.clock ?? Date.now
  }

  private state(loopId: string): LoopState {
    const s = this.deps.store.loadState(loopId)
    if (s.version === 0) throw new CommandError(`no loop ${loopId}`, 404)
    return s
  }

  private driver(loopId: string): LoopDriver {
    let d = this.drivers.get(loopId)
    if (!d) {
      const state = this.state(loopId)
      const secrets: Record<string, string> = {}
      for (const name of state.spec.secrets) {
        const v = this.deps.env[name]
        if (v) secrets[name] = v
      }
      const policy = createPolicy(state.spec.policy, { store: this.deps.store, env: this.deps.env, ...this.deps.policyDeps })
      d = new LoopDriver(loopId, state, {
        store: this.deps.store,
        tools: this.deps.tools,
        policy,
        clock: this.clock,
        newId: () => newId('esc'),
        secrets,
        scrubValues: providerSecrets(this.deps.env),
        onStop: (s) => this.scheduleAutoResume(s)
      })
      this.drivers.set(loopId, d)
    }
    return d
  }

  /** A pause that ends by itself (an open circuit) resumes the loop at its time, if nothing else did. */
  private scheduleAutoResume(s: LoopState): void {
    if (this.stopping || s.status !== 'paused' || s.autoResumeAt === null) return
    clearTimeout(this.autoResumes.get(s.loopId))
    const at = s.autoResumeAt
    const timer = setTimeout(() => {
      this.autoResumes.delete(s.loopId)
      const now = this.state(s.loopId)
      if (now.status === 'paused' && now.autoResumeAt === at) void this.resume(s.loopId, 'circuit-breaker').catch(() => undefined)
    }, Math.max(0, at - this.clock()))
    timer.unref()
    this.autoResumes.set(s.loopId, timer)
  }

  /** Append operator events to an idle loop, then let its driver continue. */
  private async command(loopId: string, events: (s: LoopState) => LoopEventInput[], drive = true): Promise<LoopState> {
    const existing = this.drivers.get(loopId)
    if (existing?.isRunning) throw new CommandError('the loop is running; pause it first')
    const s = this.state(loopId)
    if (s.readOnly) throw new CommandError('this loop was imported and is read-only; fork it to run it')
    const d = existing ?? this.driver(loopId)
    // The store is the truth between runs: the driver continues from it.
    d.state = s
    await d.append(events(s))
    if (drive) void d.drive()
    return d.state
  }

  async launch(spec: LoopSpec, opts: { specPath?: string | null; start?: boolean } = {}): Promise<string> {
    const loopId = newId('loop')
    // A policy that cannot be built (no API key, bad rule) fails the launch before anything is created.
    createPolicy(spec.policy, { store: this.deps.store, env: this.deps.env, ...this.deps.policyDeps })
    const workspace = join(this.deps.dataDir, 'workspaces', loopId)
    await createWorkspace(workspace, templateDir(spec, opts.specPath ?? null))
    const events: LoopEventInput[] = [
      { type: 'LoopCreated', data: { spec, specPath: opts.specPath ?? null, workspace } }
    ]
    if (opts.start !== false) events.push({ type: 'Started', data: { by: 'operator' } })
    await this.deps.store.append(loopId, events, 0)
    if (opts.start !== false) void this.driver(loopId).drive()
    return loopId
  }

  /** Resolves when the loop next stops (terminated, paused, escalated or waiting). */
  settled(loopId: string): Promise<void> {
    return this.drivers.get(loopId)?.drive() ?? Promise.resolve()
  }

  async pause(loopId: string, reason: string): Promise<LoopState> {
    const d = this.drivers.get(loopId)
    if (d?.isRunning) {
      d.requestPause(reason)
      await d.drive()
      return d.state
    }
    const s = this.state(loopId)
    if (s.status === 'terminated') throw new CommandError('the loop has terminated')
    if (s.status === 'paused') return s
    return this.command(loopId, () => [{ type: 'Paused', data: { by: 'operator', reason } }], false)
  }

  async resume(loopId: string, by = 'operator'): Promise<LoopState> {
    const s = this.state(loopId)
    if (s.status === 'terminated') throw new CommandError('the loop has terminated; fork it to continue')
    if (s.status === 'running' && this.drivers.get(loopId)?.isRunning) return s
    if (s.status === 'awaiting-approval') throw new CommandError('the loop waits for an approval: approve or reject it')
    return this.command(loopId, (st) => {
      const ev: LoopEventInput[] = []
      if (st.escalation) {
        const retry = st.escalation.kind === 'outcome-unknown'
        ev.push({ type: 'EscalationResolved', data: { escalationId: st.escalation.id, by, resolution: retry ? 'retry' : 'resume' } })
      }
      ev.push({ type: 'Resumed', data: { by } })
      return ev
    })
  }

  async cancel(loopId: string): Promise<LoopState> {
    const d = this.drivers.get(loopId)
    if (d?.isRunning) {
      d.cancel()
      await d.drive()
      return d.state
    }
    const s = this.state(loopId)
    if (s.status === 'terminated') return s
    // Aborting an escalation records the reason it was raised for (e.g. STALLED).
    const reason = s.escalation?.abortReason ?? 'CANCELLED'
    return this.command(
      loopId,
      (st) => [
        ...(st.escalation ? [{ type: 'EscalationResolved' as const, data: { escalationId: st.escalation.id, by: 'operator', resolution: 'abort' } }] : []),
        { type: 'Terminated', data: { reason, detail: st.escalation ? `aborted by the operator: ${st.escalation.summary}` : 'cancelled by the operator', iteration: st.iteration } }
      ],
      false
    )
  }

  async patch(loopId: string, patch: StatePatch, why: string, by = 'operator'): Promise<LoopState> {
    const s = this.state(loopId)
    if (s.status === 'running' || s.status === 'terminated') {
      throw new CommandError(`patches apply to a stopped loop (paused, escalated, waiting or interrupted); this one is ${s.status}`)
    }
    applyPatch(s, patch) // throws PatchError naming the field; nothing is recorded
    return this.command(loopId, () => [{ type: 'StatePatched', data: { by, why, patch } }], false)
  }

  async decideApproval(
    loopId: string,
    input: { callId: string; decision: 'approve' | 'reject'; editedArgs?: Record<string, unknown>; reason: string },
    by = 'operator'
  ): Promise<LoopState> {
    const s = this.state(loopId)
    const pc = s.pendingCall
    if (s.status !== 'awaiting-approval' || !pc || pc.callId !== input.callId || pc.approved !== null) {
      throw new CommandError('that call is not waiting for approval (already decided, or the loop moved on)')
    }
    if (input.decision === 'reject') {
      return this.command(loopId, () => [{ type: 'ActionRejected', data: { callId: pc.callId, by, reason: input.reason || 'rejected by the operator' } }])
    }
    if (input.editedArgs) {
      const tool = this.deps.tools.get(pc.action.tool)
      const parsed = tool?.input.safeParse(input.editedArgs)
      if (parsed && !parsed.success) {
        throw new CommandError(
          `edited args are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ')}`,
          400
        )
      }
    }
    return this.command(loopId, () => [{ type: 'ActionApproved', data: { callId: pc.callId, by, editedArgs: input.editedArgs } }])
  }

  /** A new loop from the state of `loopId` after event `atVersion`, optionally patched. */
  async fork(loopId: string, atVersion: number, patch?: StatePatch, start = true): Promise<string> {
    const parentNow = this.state(loopId)
    if (atVersion > parentNow.version) throw new CommandError(`loop ${loopId} has only ${parentNow.version} events`, 400)
    const events = this.deps.store.readStream(loopId, { toVersion: atVersion })
    let at = this.deps.store.loadState(loopId, atVersion)
    if (patch) at = applyPatch(at, patch)
    const childId = newId('loop')
    const workspace = join(this.deps.dataDir, 'workspaces', childId)
    await createWorkspace(workspace, templateDir(at.spec, at.specPath))
    await replayFileEdits(workspace, events)
    const startState = {
      ...editableState(at),
      iteration: at.iteration,
      usage: at.usage,
      lastObservation: at.lastObservation,
      lastProgressIteration: at.lastProgressIteration,
      lastConfidence: at.lastConfidence
    }
    const childEvents: LoopEventInput[] = [
      {
        type: 'LoopCreated',
        data: { spec: at.spec, specPath: at.specPath, workspace, parentLoopId: loopId, forkedAtVersion: atVersion, startState }
      }
    ]
    if (start) childEvents.push({ type: 'Started', data: { by: 'operator' } })
    await this.deps.store.append(childId, childEvents, 0)
    await this.deps.store.append(loopId, [{ type: 'Forked', data: { childLoopId: childId, atVersion } }], 'any')
    const parentDriver = this.drivers.get(loopId)
    if (parentDriver && !parentDriver.isRunning) parentDriver.state = this.state(loopId)
    if (start) void this.driver(childId).drive()
    return childId
  }

  inbox(): InboxItem[] {
    const items: InboxItem[] = []
    for (const summary of this.deps.store.listLoops()) {
      if (summary.waiting === 0) continue
      const s = this.state(summary.loopId)
      if (s.status === 'awaiting-approval' && s.pendingCall && s.pendingCall.approved === null) {
        const a = s.pendingCall.action
        items.push({
          loopId: s.loopId,
          loopName: s.spec.name,
          kind: 'approval',
          iteration: s.pendingCall.iteration,
          summary: `${a.tool} (${s.pendingCall.risk} risk) wants approval`,
          at: s.updatedAt,
          callId: s.pendingCall.callId,
          packet: null
        })
      }
      if (s.escalation) {
        items.push({
          loopId: s.loopId,
          loopName: s.spec.name,
          kind: 'escalation',
          iteration: s.escalation.iteration,
          summary: s.escalation.summary,
          at: s.updatedAt,
          callId: s.escalation.pendingCall?.callId ?? null,
          packet: s.escalation
        })
      }
    }
    return items.sort((a, b) => b.at - a.at)
  }

  /**
   * After a restart: loops that were running are marked interrupted and resumed from their
   * last recorded step (an unfinished non-idempotent tool call escalates as outcome unknown).
   * Loops paused by the shutdown resume; a pause that ends by itself is scheduled again.
   */
  async reconcile(resume = true): Promise<string[]> {
    const interrupted: string[] = []
    for (const summary of this.deps.store.listLoops()) {
      const pausedForShutdown = summary.status === 'paused' && this.lastEventWasShutdownPause(summary.loopId)
      if (summary.status !== 'running' && summary.status !== 'paused') continue
      const s = this.state(summary.loopId)
      if (pausedForShutdown) {
        if (resume) await this.resume(s.loopId, 'recovery')
        continue
      }
      if (summary.status === 'paused') {
        if (resume) this.scheduleAutoResume(s)
        continue
      }
      const events: LoopEventInput[] = [
        { type: 'Interrupted', data: { detail: `Andon stopped while the loop ran iteration ${s.iteration}` } }
      ]
      if (resume) events.push({ type: 'Resumed', data: { by: 'recovery' } })
      await this.deps.store.append(s.loopId, events, s.version)
      interrupted.push(s.loopId)
      if (resume) void this.driver(s.loopId).drive()
    }
    return interrupted
  }

  private lastEventWasShutdownPause(loopId: string): boolean {
    const v = this.deps.store.streamVersion(loopId)
    const [last] = this.deps.store.readStream(loopId, { afterVersion: v - 1 })
    return last?.type === 'Paused' && last.data.by === SHUTDOWN
  }

  /** Stop every driver at its next safe point; the next start resumes them (reconcile). */
  async stopAll(): Promise<void> {
    this.stopping = true
    for (const t of this.autoResumes.values()) clearTimeout(t)
    this.autoResumes.clear()
    const running = [...this.drivers.values()].filter((d) => d.isRunning)
    for (const d of running) d.requestPause('Andon is shutting down', SHUTDOWN)
    await Promise.all(running.map((d) => d.drive()))
  }

  /** The state the driver holds (fresher than the store while it runs). */
  liveState(loopId: string): LoopState {
    return this.drivers.get(loopId)?.state ?? this.state(loopId)
  }

  /** Fold the store's state for `loopId` at `version` (time travel). */
  stateAt(loopId: string, version: number): LoopState {
    const s = this.deps.store.loadState(loopId, version)
    if (s.version === 0) throw new CommandError(`no loop ${loopId}`, 404)
    return s
  }
}

