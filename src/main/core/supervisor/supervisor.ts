/**
 * The supervisor owns the running loops: it creates them, drives them, and carries out the
 * operator's commands (pause, resume, cancel, approve, patch, fork, resolve an interrupted call).
 * Each command is decided against the loop's state (`decide`) and appended through the loop's
 * driver with that state's version; a loop driven by another process is left to it (leases).
 */
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { RuleScope } from '../../../shared/approvals-contract'
import type { ForkConfirmation, ForkReview, InboxItem } from '../../../shared/contract'
import type { LoopEventInput } from '../../../shared/events'
import type { StatePatch } from '../../../shared/patch'
import { applyPatch } from '../../../shared/patch-apply'
import type { LoopSpec } from '../../../shared/spec'
import { editableState, onlySetsAutonomy, type LoopState } from '../../../shared/state'
import { backpressureOf } from '../backpressure'
import { secretsFromEnv } from '../bundles/secrets'
import { SecretScrubber } from '../secrets/scrubber'
import { CommandRefused, type LoopCommand } from '../commands/commands'
import { decide, type DecideContext } from '../commands/decide'
import { LoopDriver } from '../engine/loop-driver'
import { createPolicy, hostedTool, pricingProblem, type PolicyDeps } from '../policies'
import { SpecError } from '../specs/load-spec'
import { preflight, type Preflight } from '../specs/preflight'
import { celSpecProblems } from '../invariants/custom'
import { commandTool, isCommandTool } from '../tools/command-tool'
import { toolProblems, type FieldProblem } from '../specs/spec-checks'
import { sandboxProblem } from '../sandbox/status'
import { LoopArchive } from '../store/archive'
import { listedLoops } from '../store/listed-loops'
import type { TraceStore } from '../store/trace-store'
import type { ToolRegistry } from '../tools/tool'
import { ApprovalRuleSet } from '../approvals/rule-set'
import { LeaseKeeper, LEASE_TTL_MS } from './lease'
import { confirmedSpec, reviewFork } from './fork-review'
import { ProcessTracker } from './processes'
import { createWorkspace, lineageEvents, replayFileEdits, templateDir } from './workspace'

export { CommandRefused as CommandError } from '../commands/commands'

export interface SupervisorDeps {
  store: TraceStore
  tools: ToolRegistry
  dataDir: string
  env: Record<string, string | undefined>
  clock?: () => number
  policyDeps?: Partial<PolicyDeps>
  /** What this process is, in messages to other processes ("web shell", "andon run"…). */
  hostLabel?: string
  /** How long a shutdown lets running tools finish before ending them. */
  shutdownGraceMs?: number
}

const SHUTDOWN = 'shutdown'

/** Provider credentials a policy or tool may read from the environment: never recorded. */
export const PROVIDER_SECRET_NAMES = ['ANTHROPIC_API_KEY', 'GITHUB_TOKEN']

/** Every value a loop's events must not hold: the providers' keys, its declared secrets, and whatever the environment names a secret. */
function secretValues(env: Record<string, string | undefined>, spec: LoopSpec): Record<string, string> {
  return secretsFromEnv(env, [...PROVIDER_SECRET_NAMES, ...spec.secrets])
}

export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`
}

/** Optional guards an operator command may carry. */
export interface CommandOptions {
  by?: string
  /** The loop version the operator saw; a newer state refuses the command. */
  expectedVersion?: number
}

export class Supervisor {
  private readonly drivers = new Map<string, LoopDriver>()
  private readonly autoResumes = new Map<string, NodeJS.Timeout>()
  private stopping = false
  private readonly clock: () => number
  readonly leases: LeaseKeeper
  /** The operator's approval rules: every driver reads the live ones at each proposal. */
  readonly approvalRules: ApprovalRuleSet
  private readonly processes: ProcessTracker

  constructor(private readonly deps: SupervisorDeps) {
    this.clock = deps.clock ?? Date.now
    this.approvalRules = new ApprovalRuleSet(deps.store.db)
    this.leases = new LeaseKeeper(deps.store, deps.hostLabel ?? 'Andon', this.clock)
    this.processes = new ProcessTracker(join(deps.dataDir, 'run'))
  }

  private policyDeps(): PolicyDeps {
    return { store: this.deps.store, env: this.deps.env, ...this.deps.policyDeps }
  }

  private state(loopId: string): LoopState {
    const s = this.deps.store.loadState(loopId)
    if (s.version === 0) throw new CommandRefused(`no loop ${loopId}`, 404)
    return s
  }

  /** The loop's state, or null when its events cannot be read: one damaged loop never stops the others. */
  private readable(loopId: string): LoopState | null {
    try {
      return this.state(loopId)
    } catch {
      return null
    }
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
      d = new LoopDriver(loopId, state, {
        store: this.deps.store,
        tools: this.deps.tools,
        policy: () => createPolicy(d!.state.spec.policy, this.policyDeps()),
        clock: this.clock,
        newId: () => newId('esc'),
        secrets,
        scrubValues: secretValues(this.deps.env, state.spec),
        onStop: (s) => this.scheduleAutoResume(s),
        lease: { acquire: () => this.leases.acquire(loopId), release: () => this.leases.release(loopId) },
        processes: this.processes,
        approvalRules: (specName) => this.approvalRules.liveFor(specName),
        shutdownGraceMs: this.deps.shutdownGraceMs,
        dailyBudget: () => {
          const ledger = backpressureOf(this.policyDeps()).ledger
          return { limitUsd: ledger.limit, spentTodayUsd: ledger.spentToday() }
        }
      })
      this.drivers.set(loopId, d)
    }
    return d
  }

  private decideContext(): DecideContext {
    return {
      checkArgs: (toolName, args, state) => {
        const tool = hostedTool(state.spec, toolName) ?? this.specTool(state, toolName) ?? this.deps.tools.get(toolName)
        const parsed = tool?.input.safeParse(args)
        if (!parsed || parsed.success) return null
        return parsed.error.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ')
      },
      checkPatched: (s) => {
        const cel = celSpecProblems({ invariants: s.invariants, termination: s.spec.termination })
        return cel.length ? cel.map((p) => `${p.path}: ${p.message}`).join('; ') : pricingProblem(s.spec, s.invariants, this.policyDeps())
      }
    }
  }

  /** A command tool of the loop's spec, or one of its MCP tools while its servers are up here (an edited call is checked against it). */
  private specTool(state: LoopState, name: string) {
    const command = state.spec.tools.find((t) => t.name === name)
    if (command && isCommandTool(command)) return commandTool(command)
    return this.drivers.get(state.loopId)?.specToolNamed(name)
  }

  /** Refuse to act on a loop another live process drives: it is that process's to command. */
  private notDrivenElsewhere(loopId: string): void {
    if (this.drivers.get(loopId)?.isRunning) return
    const holder = this.leases.heldElsewhere(loopId)
    if (holder) throw new CommandRefused(`loop ${loopId} is driven by ${holder}; act on it there, or stop that process first`)
  }

  /**
   * Decide a command against the loop's newest state and append its events with that state's
   * version (through the loop's driver, the one writer of the loop here); then drive if asked.
   */
  private async execute(loopId: string, command: LoopCommand, drive: boolean): Promise<LoopState> {
    this.state(loopId)
    this.notDrivenElsewhere(loopId)
    const d = this.driver(loopId)
    const ctx = this.decideContext()
    const state = await d.submit((s) => decide(command, s, ctx))
    if (drive && state.status === 'running' && !this.stopping) void d.drive()
    return d.state
  }

  /** A pause that ends by itself (an open circuit) resumes the loop at its time, if nothing else did. */
  private scheduleAutoResume(s: LoopState): void {
    if (this.stopping || s.status !== 'paused' || s.autoResumeAt === null) return
    clearTimeout(this.autoResumes.get(s.loopId))
    const at = s.autoResumeAt
    const timer = setTimeout(() => {
      this.autoResumes.delete(s.loopId)
      const now = this.state(s.loopId)
      if (now.status === 'paused' && now.autoResumeAt === at) void this.resume(s.loopId, { by: 'circuit-breaker' }).catch(() => undefined)
    }, Math.max(0, at - this.clock()))
    timer.unref()
    this.autoResumes.set(s.loopId, timer)
  }

  private cancelAutoResume(loopId: string): void {
    clearTimeout(this.autoResumes.get(loopId))
    this.autoResumes.delete(loopId)
  }

  /** What in a spec this installation cannot run (unknown tools), by field. */
  specProblems(spec: LoopSpec): FieldProblem[] {
    return toolProblems(spec, this.deps.tools)
  }

  /** What would make a launch fail (errors) or limit the loop (warnings), by field: for the form, launch and `andon run`. */
  preflight(spec: LoopSpec, specPath: string | null = null): Promise<Preflight> {
    return preflight(spec, specPath, { tools: this.deps.tools, policyDeps: this.policyDeps() })
  }

  async launch(spec: LoopSpec, opts: { specPath?: string | null; start?: boolean } = {}): Promise<string> {
    const { errors } = await this.preflight(spec, opts.specPath ?? null)
    if (errors.length) throw new SpecError(opts.specPath ?? 'text', errors)
    const loopId = newId('loop')
    const events: LoopEventInput[] = [{ type: 'LoopCreated', data: { spec, specPath: opts.specPath ?? null, workspace: this.workspaceOf(loopId) } }]
    if (opts.start !== false) events.push({ type: 'Started', data: { by: 'operator' } })
    // A secret written into the spec itself is recorded as its placeholder, like one a tool prints.
    await this.create(loopId, new SecretScrubber(secretValues(this.deps.env, spec)).scrubValue(events), (dir) => createWorkspace(dir, templateDir(spec, opts.specPath ?? null)))
    if (opts.start !== false) void this.driver(loopId).drive()
    return loopId
  }

  private workspaceOf(loopId: string): string {
    return join(this.deps.dataDir, 'workspaces', loopId)
  }

  /** Make the loop's workspace, then record the loop; if either fails, no folder is left behind. */
  private async create(loopId: string, events: LoopEventInput[], prepare: (workspace: string) => Promise<unknown>): Promise<void> {
    const workspace = this.workspaceOf(loopId)
    try {
      await prepare(workspace)
      await this.deps.store.append(loopId, events, 0)
    } catch (err) {
      await rm(workspace, { recursive: true, force: true })
      throw err
    }
  }

  /** Resolves when the loop's current run (if any) stops: terminated, paused, escalated or waiting. */
  settled(loopId: string): Promise<void> {
    return this.drivers.get(loopId)?.currentRun ?? Promise.resolve()
  }

  async pause(loopId: string, reason: string, opts: CommandOptions = {}): Promise<LoopState> {
    const d = this.drivers.get(loopId)
    if (d?.isRunning) {
      d.requestPause(reason, opts.by ?? 'operator')
      await d.currentRun
      return d.state
    }
    const state = await this.execute(loopId, { type: 'Pause', reason, by: opts.by ?? 'operator', expectedVersion: opts.expectedVersion }, false)
    if (state.autoResumeAt === null) this.cancelAutoResume(loopId)
    return state
  }

  async resume(loopId: string, opts: CommandOptions = {}): Promise<LoopState> {
    const running = this.state(loopId).status === 'running'
    if (running && this.drivers.get(loopId)?.isRunning) return this.state(loopId)
    // "Running" with nobody driving it: its process died. Take it over (interrupted, then resumed).
    if (running && !this.leases.heldElsewhere(loopId) && (await this.takeOver(loopId))) return this.liveState(loopId)
    return this.execute(loopId, { type: 'Resume', by: opts.by ?? 'operator', expectedVersion: opts.expectedVersion }, true)
  }

  async cancel(loopId: string, opts: CommandOptions = {}): Promise<LoopState> {
    const d = this.drivers.get(loopId)
    if (d?.isRunning) {
      d.cancel()
      await d.currentRun
      return d.state
    }
    if (this.state(loopId).status === 'terminated') return this.state(loopId)
    return this.execute(loopId, { type: 'Cancel', by: opts.by ?? 'operator', expectedVersion: opts.expectedVersion }, false)
  }

  /**
   * Patch a loop's state. A change of autonomy alone skips the version check: it is taken from the
   * next proposed call whatever happened since the operator looked (a running loop moves on
   * between any view and any click), so it cannot be stale.
   */
  async patch(loopId: string, patch: StatePatch, why: string, opts: CommandOptions = {}): Promise<LoopState> {
    const expectedVersion = onlySetsAutonomy(patch) ? undefined : opts.expectedVersion
    return this.execute(loopId, { type: 'Patch', patch, why, by: opts.by ?? 'operator', expectedVersion }, false)
  }

  /**
   * Approve or reject a waiting call. With `remember` ("always allow / deny this"), the decision
   * names the rule in the loop's history and the rule (allow for an approval, deny for a
   * rejection) joins the rule set once the decision is recorded, from the next proposed call on.
   */
  async decideApproval(
    loopId: string,
    input: { callId: string; decision: 'approve' | 'reject'; editedArgs?: Record<string, unknown>; reason: string; remember?: { pattern: string; scope: RuleScope; why?: string } },
    opts: CommandOptions = {}
  ): Promise<LoopState> {
    const operator = opts.by ?? 'operator'
    const remember = input.remember
    const effect = input.decision === 'approve' ? 'allow' : 'deny'
    const rememberNote = remember ? `always ${effect} ${remember.pattern} (${remember.scope === 'all' ? 'every loop' : `spec ${remember.scope.spec}`})` : ''
    const command: LoopCommand =
      input.decision === 'reject'
        ? { type: 'Reject', callId: input.callId, reason: [input.reason.trim() || 'rejected by the operator', rememberNote].filter(Boolean).join('; '), by: operator, expectedVersion: opts.expectedVersion }
        : { type: 'Approve', callId: input.callId, editedArgs: input.editedArgs, by: remember ? `${operator}; ${rememberNote}` : operator, expectedVersion: opts.expectedVersion }
    const state = await this.execute(loopId, command, true)
    if (remember) {
      const why = remember.why?.trim() || (input.decision === 'reject' ? input.reason.trim() || 'always deny this, from the inbox' : 'always allow this, from the inbox')
      this.approvalRules.add({ effect, pattern: remember.pattern, scope: remember.scope, by: operator, why, at: this.clock(), from: { loopId, callId: input.callId } })
    }
    return state
  }

  /** Answer a waiting call instead of running it: the answer is its outcome, and the loop goes on. */
  async answerCall(loopId: string, input: { callId: string; ok: boolean; answer: string }, opts: CommandOptions = {}): Promise<LoopState> {
    return this.execute(loopId, { type: 'Answer', ...input, by: opts.by ?? 'operator', expectedVersion: opts.expectedVersion }, true)
  }

  /** After a restart cut a call off: the operator says it took effect, it did not, or to re-run it. */
  async resolveOutcome(loopId: string, outcome: 'happened' | 'not-happened' | 'retry', note: string, opts: CommandOptions = {}): Promise<LoopState> {
    return this.execute(loopId, { type: 'ResolveOutcome', outcome, note, by: opts.by ?? 'operator', expectedVersion: opts.expectedVersion }, true)
  }

  /** What a fork of `loopId` at `atVersion` would run, and where. */
  reviewFork(loopId: string, atVersion: number): ForkReview {
    const parent = this.state(loopId)
    if (atVersion > parent.version) throw new CommandRefused(`loop ${loopId} has only ${parent.version} events`, 400)
    const at = this.deps.store.loadState(loopId, atVersion)
    return reviewFork({ ...at.spec, autonomy: at.autonomy }, at.specPath, { imported: parent.readOnly, tools: this.deps.tools, store: this.deps.store, env: this.deps.env })
  }

  /**
   * A new loop from the state of `loopId` after event `atVersion`, optionally patched. A loop
   * imported from a bundle is forked only with the operator's confirmation, which says what of
   * the bundle's reach the fork keeps (secrets, workspace folder) and under which autonomy it runs.
   */
  async fork(loopId: string, atVersion: number, patch?: StatePatch, start = true, confirmImported?: Partial<ForkConfirmation>): Promise<string> {
    const parentNow = this.state(loopId)
    if (atVersion > parentNow.version) throw new CommandRefused(`loop ${loopId} has only ${parentNow.version} events`, 400)
    if (parentNow.readOnly && !confirmImported) {
      throw new CommandRefused(
        `loop ${loopId} came from a bundle: review what a fork of it would run (commands, workspace, secrets, tools, autonomy) and confirm it`,
        409
      )
    }
    let at = this.deps.store.loadState(loopId, atVersion)
    if (patch) at = applyPatch(at, patch)
    // The fork runs under its parent's autonomy at the fork point (after the patch), unless the confirmation sets one.
    at = { ...at, spec: { ...at.spec, autonomy: at.autonomy } }
    if (parentNow.readOnly && confirmImported) at = { ...at, spec: confirmedSpec(at.spec, confirmImported) }
    const sandbox = await sandboxProblem(at.spec)
    if (sandbox) throw new CommandRefused(sandbox, 400)
    const childId = newId('loop')
    const workspace = this.workspaceOf(childId)
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
    await this.create(childId, new SecretScrubber(secretValues(this.deps.env, at.spec)).scrubValue(childEvents), async (dir) => {
      await createWorkspace(dir, templateDir(at.spec, at.specPath))
      await replayFileEdits(dir, lineageEvents(this.deps.store, loopId, atVersion))
    })
    // Recorded on the parent through its driver, so a running parent keeps its own version count;
    // a parent another process drives is left alone (the child names its parent either way).
    if (!this.leases.heldElsewhere(loopId)) {
      await this.driver(loopId).submit((s) => decide({ type: 'RecordFork', childLoopId: childId, atVersion, by: 'operator' }, s, this.decideContext()))
    }
    if (start) void this.driver(childId).drive()
    return childId
  }

  /** Archive a loop (out of the lists and the inbox, events kept) or bring it back. A running loop is stopped first. */
  archive(loopId: string, archived: boolean, why: string, by = 'operator'): void {
    if (this.deps.store.streamVersion(loopId) === 0) throw new CommandRefused(`no loop ${loopId}`, 404)
    const s = this.readable(loopId)
    if (archived && (this.drivers.get(loopId)?.isRunning || (s?.status === 'running' && !s.readOnly))) {
      throw new CommandRefused(`loop ${loopId} is running: pause or cancel it before archiving it`)
    }
    new LoopArchive(this.deps.store.db).set(loopId, archived, { by, why, at: this.clock() })
  }

  inbox(): InboxItem[] {
    const items: InboxItem[] = []
    for (const summary of listedLoops(this.deps.store)) {
      if (summary.waiting === 0) continue
      const s = this.readable(summary.loopId)
      if (!s) continue
      if (s.status === 'awaiting-approval' && s.pendingCall && s.pendingCall.approved === null) {
        const a = s.pendingCall.action
        const suggestion = s.pendingCall.suggestion
        items.push({
          loopId: s.loopId,
          loopName: s.spec.name,
          kind: 'approval',
          suggestion,
          iteration: s.pendingCall.iteration,
          summary: suggestion ? `${a.tool} (${s.pendingCall.risk} risk) suggested: run it, edit it, answer it or dismiss it` : `${a.tool} (${s.pendingCall.risk} risk) wants approval`,
          at: s.updatedAt,
          version: s.version,
          callId: s.pendingCall.callId,
          packet: null
        })
      }
      if (s.escalation) {
        items.push({
          loopId: s.loopId,
          loopName: s.spec.name,
          kind: 'escalation',
          suggestion: false,
          iteration: s.escalation.iteration,
          summary: s.escalation.summary,
          at: s.updatedAt,
          version: s.version,
          callId: s.escalation.pendingCall?.callId ?? null,
          packet: s.escalation
        })
      }
    }
    return items.sort((a, b) => b.at - a.at)
  }

  /**
   * Take over a loop whose host stopped without pausing it: end the tool processes it left
   * running, record when it was last alive, and (if `resume`) drive it from its last step.
   */
  private async recover(loopId: string, resume: boolean, detail: string): Promise<boolean> {
    // The dead holder's last heartbeat, read before taking the lease over rewrites it.
    const lastHeartbeat = this.leases.lastHeartbeat(loopId) ?? 0
    if (this.leases.acquire(loopId) !== null) return false
    try {
      const s = this.state(loopId)
      if (s.status !== 'running' || s.readOnly) return false
      const d = this.driver(loopId)
      const ended = await this.processes.endOrphans(loopId)
      const lastAliveAt = Math.max(s.updatedAt, lastHeartbeat)
      await d.submit((st) => [
        ...ended
          .filter((p) => st.openCall?.callId === p.callId)
          .map((p) => ({
            type: 'ToolOutput' as const,
            data: { callId: p.callId, stream: 'info' as const, chunk: `\n[its process group (pid ${p.pid}) was still running after Andon stopped; it was ended]\n` }
          })),
        ...decide({ type: 'Interrupt', detail, lastAliveAt, resume, by: 'recovery' }, st, this.decideContext())
      ])
    } finally {
      this.leases.release(loopId)
    }
    if (resume) void this.driver(loopId).drive()
    return true
  }

  /** Recover and drive a loop left "running" by a process that died: false when another live process drives it. */
  takeOver(loopId: string): Promise<boolean> {
    return this.recover(loopId, true, 'the process driving this loop stopped; taken over')
  }

  /**
   * After a restart: loops that were running here are marked interrupted and resumed from their
   * last recorded step (an unfinished non-idempotent tool call escalates as outcome unknown);
   * loops another live process drives are left alone. Loops paused by the shutdown resume; a
   * pause that ends by itself is scheduled again. Imported copies are never touched.
   */
  async reconcile(resume = true): Promise<string[]> {
    const interrupted: string[] = []
    for (const summary of listedLoops(this.deps.store)) {
      if (summary.readOnly || (summary.status !== 'running' && summary.status !== 'paused')) continue
      if (this.leases.heldElsewhere(summary.loopId)) continue
      const s = this.readable(summary.loopId)
      if (!s) continue
      if (summary.status === 'paused') {
        if (!resume) continue
        if (this.lastEventWasShutdownPause(s.loopId)) await this.resume(s.loopId, { by: 'recovery' }).catch(() => undefined)
        else this.scheduleAutoResume(s)
        continue
      }
      const detail = `Andon stopped while the loop ran iteration ${s.iteration}`
      if (await this.recover(s.loopId, resume, detail)) interrupted.push(s.loopId)
    }
    return interrupted
  }

  /**
   * While running: loops another process was driving whose lease lapsed (it was killed) are
   * recovered here, so none shows "running" forever. Recent activity is left a lease's length.
   */
  async adoptOrphans(): Promise<string[]> {
    if (this.stopping) return []
    const now = this.clock()
    const adopted: string[] = []
    for (const loopId of this.deps.store.loopIdsWithStatus('running')) {
      if (this.drivers.get(loopId)?.isRunning || this.leases.heldElsewhere(loopId)) continue
      const s = this.readable(loopId)
      if (!s) continue
      const lastAlive = Math.max(s.updatedAt, this.leases.lastHeartbeat(loopId) ?? 0)
      // A loop with no live holder is adopted once its holder is known dead, or after a lease's length of silence.
      if (s.readOnly || (!this.leases.holderIsDead(loopId) && now - lastAlive < LEASE_TTL_MS)) continue
      if (await this.recover(loopId, true, 'the process driving this loop stopped (its lease expired)')) adopted.push(loopId)
    }
    return adopted
  }

  /** Renew leases and adopt orphaned loops on a heartbeat (long-running shells, not the CLI). */
  startHeartbeat(adopt: boolean): void {
    this.leases.start(adopt ? () => void this.adoptOrphans().catch(() => undefined) : undefined)
  }

  private lastEventWasShutdownPause(loopId: string): boolean {
    const v = this.deps.store.streamVersion(loopId)
    const [last] = this.deps.store.readStream(loopId, { afterVersion: v - 1, limit: 1 })
    return last?.type === 'Paused' && last.data.by === SHUTDOWN
  }

  /**
   * Stop every driver at its next safe point: a decision in flight is abandoned (decided again on
   * the next start), a running tool gets a grace period. The next start resumes them (reconcile).
   */
  async stopAll(): Promise<void> {
    this.stopping = true
    for (const t of this.autoResumes.values()) clearTimeout(t)
    this.autoResumes.clear()
    const running = [...this.drivers.values()].filter((d) => d.isRunning)
    for (const d of running) d.shutdown('Andon is shutting down', SHUTDOWN)
    // A loop waiting for the operator may still hold an agent's process (Claude Code at the gate): end it too.
    for (const d of this.drivers.values()) if (!d.isRunning) d.release()
    await Promise.all(running.map((d) => d.currentRun))
    this.leases.stop()
  }

  /** The state the driver holds (fresher than the store while it runs). */
  liveState(loopId: string): LoopState {
    const d = this.drivers.get(loopId)
    return d?.isRunning ? d.state : this.state(loopId)
  }

  /** Fold the store's state for `loopId` at `version` (time travel). */
  stateAt(loopId: string, version: number): LoopState {
    const s = this.deps.store.loadState(loopId, version)
    if (s.version === 0) throw new CommandRefused(`no loop ${loopId}`, 404)
    return s
  }
}
