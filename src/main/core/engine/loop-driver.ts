/**
 * The loop driver: observe → decide → act → observe for one loop, driven from its folded
 * state. Every step is an appended event, so the driver can stop anywhere (pause, approval,
 * escalation, crash) and continue later from the store alone. It is the only writer of its
 * loop in this process: operator commands are decided and appended through its chain.
 */
import { createHash } from 'node:crypto'
import { stripVTControlCharacters } from 'node:util'
import type { EscalationKind } from '../../../shared/escalation'
import type { GateRule, InvariantResult, LoopEventInput, StoredEvent, TerminationReason } from '../../../shared/events'
import { deniedBy, refusedBy, type LoopState } from '../../../shared/state'
import { builtinSelection, type Action, type AutonomyMode, type RiskLevel } from '../../../shared/spec'
import { systemClock } from '../backpressure/clock'
import { retryAfterOf } from '../backpressure/errors'
import { CommandRefused } from '../commands/commands'
import { hostedTool } from '../policies'
import { PolicyError, type Decision, type Policy } from '../policies/policy'
import { ConcurrencyError, type TraceStore } from '../store/trace-store'
import { SpecTools } from '../tools/spec-tools'
import { describeTool, type AnyTool, type ToolRegistry, type ToolResult } from '../tools/tool'
import { buildPacket, classifyOrNone } from './escalation'
import { budgetExceeded, checkInvariants } from '../invariants/builtin'
import { checkCustomInvariants, successPredicate } from '../invariants/custom'
import { escalationFor, invariantDef, invariantForPolicyError, type InvariantDef } from '../invariants/registry'
import { SecretScrubber } from '../secrets/scrubber'
import { runTool } from './tool-runner'
import { LoopWriter } from './loop-writer'
import { decidingRule, type CandidateRule } from '../approvals/match'
import { specRules } from '../approvals/spec-rules'
import { descendsFromImport } from '../approvals/lineage'

export interface DriverDeps {
  store: TraceStore
  tools: ToolRegistry
  /** Built on first use, so a loop whose policy cannot be built can still be patched, cancelled or exported. */
  policy: () => Policy
  clock: () => number
  /** For durations: never jumps with the wall clock. */
  monotonic?: () => number
  newId: () => string
  /** Called whenever a run stops (paused, waiting, escalated, terminated). */
  onStop?: (state: LoopState) => void
  /** Secrets the spec asked for, resolved from the environment. Never recorded. */
  secrets: Record<string, string>
  /** Every secret value this loop could meet (its own and the providers' keys), scrubbed from events. */
  scrubValues?: Record<string, string>
  /** Take the loop's lease before a run (null: taken, else who holds it) and give it back after. */
  lease?: { acquire(): string | null; release(): void }
  /** Told which process a tool call started, and when the call is over (orphans are ended after a crash). */
  processes?: { started(loopId: string, callId: string, pid: number): void; finished(callId: string): void }
  /** How long a shutdown lets a running tool finish before ending it. */
  shutdownGraceMs?: number
  /** The daily limit and today's spend, for the packet of a loop the daily budget stopped. */
  dailyBudget?: () => { limitUsd: number | null; spentTodayUsd: number }
  /** The operator's live approval rules for a spec's loops, read at each proposal (a revoked rule stops applying at once). */
  approvalRules?: (specName: string) => CandidateRule[]
}

type Decided = { decision: Decision; latencyMs: number } | { error: unknown; latencyMs: number }

const PACKET_EVENT_WINDOW = 400
const CIRCUIT_RETRY_MS = 30_000
const DEFAULT_SHUTDOWN_GRACE_MS = 5_000

export function needsApproval(mode: AutonomyMode, risk: RiskLevel): boolean {
  switch (mode) {
    case 'autonomous':
      return false
    case 'approve-risky':
      return risk === 'high'
    case 'approve-every-action':
    case 'suggest-only':
      return true
  }
}

export class LoopDriver {
  private pauseReason: string | null = null
  private pauseBy = 'operator'
  private cancelled = false
  private stopping = false
  /** Ends the decision in flight (cancel, or a shutdown: nothing was decided, so nothing is lost). */
  private readonly decisionAbort = new AbortController()
  /** Ends a running tool (cancel, or the end of a shutdown's grace period). */
  private readonly toolAbort = new AbortController()
  private running: Promise<void> | null = null
  private again = false
  private readonly writer: LoopWriter
  private recentSignatures: string[] | null = null
  private readonly scrubber: SecretScrubber
  private policyInstance: Policy | null = null
  private specToolsInstance: SpecTools | null = null
  /** This iteration's before-call checks, recorded with its after-iteration checks (so the matrix shows them). */
  private beforeCall: { iteration: number; results: InvariantResult[]; unevaluated: Set<string> } | null = null

  constructor(
    readonly loopId: string,
    state: LoopState,
    private readonly deps: DriverDeps
  ) {
    this.scrubber = new SecretScrubber({ ...deps.scrubValues, ...deps.secrets })
    this.writer = new LoopWriter(loopId, state, {
      store: deps.store,
      scrub: (events) => this.scrubber.scrubValue(events),
      clock: deps.clock,
      onCommit: (s) => s.status === 'terminated' && this.release()
    })
  }

  /** The loop's state as stored (what the driver has staged but not written is never shown). */
  get state(): LoopState {
    return this.writer.committed
  }

  /** What the engine decides from: the stored state with this iteration's staged events folded in. */
  private get working(): LoopState {
    return this.writer.working
  }

  get isRunning(): boolean {
    return this.running !== null
  }

  /** The promise of the current run, if any: resolves when the loop next stops. */
  get currentRun(): Promise<void> | null {
    return this.running
  }

  private get monotonic(): () => number {
    return this.deps.monotonic ?? (() => performance.now())
  }

  /**
   * Run until the loop stops for any reason. Called while a run is ending, it runs once more,
   * so a resume that lands as the driver stops is never missed.
   */
  drive(): Promise<void> {
    this.again = true
    if (!this.running) this.running = this.runUntilIdle()
    return this.running
  }

  private async runUntilIdle(): Promise<void> {
    await this.writer.idle()
    // Another process holds the lease: it drives the loop, not this one.
    const holder = this.deps.lease?.acquire() ?? null
    try {
      if (holder) return
      while (this.again) {
        this.again = false
        // The store is the truth between runs (another process may have written since).
        this.writer.reset(this.deps.store.loadState(this.loopId))
        await this.loop()
      }
    } finally {
      if (!holder) this.deps.lease?.release()
      this.running = null
      this.deps.onStop?.(this.state)
    }
  }

  requestPause(reason: string, by = 'operator'): void {
    this.pauseReason = reason
    this.pauseBy = by
  }

  /** Cancel: kills a running tool and aborts a pending model call. */
  cancel(): void {
    this.cancelled = true
    this.decisionAbort.abort()
    this.toolAbort.abort()
    this.release()
  }

  /**
   * Stop for a shutdown: a decision in flight is abandoned (its iteration is decided again on the
   * next start), a running tool gets a grace period and is then ended (recovered like a crash).
   */
  shutdown(reason: string, by: string): void {
    this.stopping = true
    this.requestPause(reason, by)
    this.decisionAbort.abort(new Error(reason))
    const t = setTimeout(() => this.toolAbort.abort(new Error(reason)), this.deps.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS)
    t.unref()
    // The policy's own agent (Claude Code) and the spec's tool servers end with Andon, once the run has stopped:
    // a call still running gets its grace period, like any tool. They start again on the next run.
    void (this.running ?? Promise.resolve()).finally(() => {
      clearTimeout(t)
      this.release()
    })
  }

  /** Let go of what the policy and the spec's tools hold (processes) while the loop waits; they start again on the next run. */
  release(): void {
    this.policyInstance?.close?.()
    this.specToolsInstance?.close()
  }

  /** Append engine events (with anything staged) in one commit, in chain order; resolves once they are durable. */
  append(events: LoopEventInput[]): Promise<void> {
    return this.writer.append(() => events)
  }

  /** Fold engine events into the working state now and write them with the next append (nothing acts on them before). */
  private stage(events: LoopEventInput[]): Promise<void> {
    return this.writer.stage(() => events)
  }

  /** Write what is staged (before anything depends on it being durable). */
  private flush(): Promise<void> {
    return this.writer.append(() => [])
  }

  /**
   * An operator command: decided inside the chain against the newest state, appended with that
   * state's version. What the engine had staged is written first (the command is decided on a
   * durable state). A conflict (another process wrote) re-decides against the fresh state once.
   */
  submit(decide: (state: LoopState) => LoopEventInput[]): Promise<LoopState> {
    return this.writer.enqueue(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.writer.recordStaged()
          if (!this.running) this.writer.reset(this.deps.store.loadState(this.loopId))
          const events = decide(this.state)
          if (events.length === 0) return this.state
          await this.writer.write(events)
          return this.state
        } catch (err) {
          if (!(err instanceof ConcurrencyError)) throw err
          if (attempt >= 2) throw new CommandRefused('the loop changed while your command was being recorded; look again and decide')
          this.writer.reset(this.deps.store.loadState(this.loopId))
        }
      }
    })
  }

  private policy(): Policy {
    this.policyInstance ??= this.deps.policy()
    return this.policyInstance
  }

  private specTools(): SpecTools {
    this.specToolsInstance ??= new SpecTools(this.working.spec, {
      workspace: this.working.workspace ?? process.cwd(),
      secrets: this.deps.secrets,
      sandbox: this.working.spec.sandbox
    })
    return this.specToolsInstance
  }

  /** The spec's tools are ready (its MCP servers up), or the operator is told why not. */
  private async toolsReady(): Promise<boolean> {
    try {
      await this.specTools().open()
      return true
    } catch (err) {
      // Closed by a cancel or a shutdown while starting: the loop stops for that, not for its tools.
      if (this.cancelled || this.stopping) return false
      const detail = (err as Error).message
      const def = invariantDef('tools-available')
      const result: InvariantResult = { name: def.name, ok: false, detail, remediation: def.remediation }
      await this.escalate(def.escalation, detail, [result], def.abortReason)
      return false
    }
  }

  /** Drive until the loop stops, then write what is staged (a stopped loop has nothing pending). */
  private async loop(): Promise<void> {
    try {
      await this.advance()
      await this.flush()
    } catch (err) {
      if (err instanceof ConcurrencyError) {
        // Another process wrote to this loop (it took the lease over): stop, record nothing more.
        this.writer.forgetStaged()
        this.writer.reset(this.deps.store.loadState(this.loopId))
        return
      }
      // What is staged happened (a call's outcome, its checks) and is written with the termination, unless
      // a write already failed under it (then it is gone, and nothing staged since may be written alone).
      if (this.writer.writeFailed || this.state.status === 'terminated') this.writer.forgetStaged()
      if (this.state.status === 'terminated') return
      // A bug or a store failure: record it if the store still works, never lose the cause.
      const detail = `engine error: ${(err as Error).message}`
      await this.terminate('FATAL_ERROR', detail)
        .catch(() => {
          // The store refused what was staged: the termination is recorded without it.
          this.writer.forgetStaged()
          return this.terminate('FATAL_ERROR', detail)
        })
        .catch(() => undefined)
    }
  }

  private async advance(): Promise<void> {
    for (;;) {
      const s = this.working
      if (s.status === 'terminated' || s.readOnly) return
      if (this.cancelled) return await this.terminate('CANCELLED', 'cancelled by the operator')
      if (s.status !== 'running') return
      if (this.pauseReason !== null) {
        const reason = this.pauseReason
        this.pauseReason = null
        await this.append([{ type: 'Paused', data: { by: this.pauseBy, reason } }])
        return
      }
      if (s.uncheckedIteration !== null) {
        await this.afterIteration(s.uncheckedIteration)
        continue
      }
      if (!(await this.toolsReady())) {
        if (this.cancelled || this.stopping) continue
        return
      }
      if (s.openCall) {
        await this.recoverOpenCall()
        continue
      }
      if (s.pendingCall) {
        if (s.pendingCall.approved !== true) return
        if (await this.withinBudget(s.pendingCall.iteration)) await this.act(false)
        continue
      }
      await this.iterate()
    }
  }

  private async terminate(reason: TerminationReason, detail: string): Promise<void> {
    // A history that cannot be read or classified costs the diagnosis, never the termination.
    let rootCause
    if (reason !== 'SUCCESS' && reason !== 'CANCELLED') {
      const events = await this.recentEvents()
      rootCause = classifyOrNone({ state: this.working, events, stop: { kind: 'terminated', reason, detail } })
    }
    await this.append([{ type: 'Terminated', data: { reason, detail, iteration: this.working.iteration, rootCause } }])
  }

  /** The loop's last events (for a packet or a classification), once what is queued and staged is written; none if they cannot be read. */
  private async recentEvents(): Promise<StoredEvent[]> {
    await this.flush()
    try {
      return this.deps.store.readStream(this.loopId, { afterVersion: Math.max(0, this.working.version - PACKET_EVENT_WINDOW) })
    } catch (err) {
      console.error(`loop ${this.loopId}: its recent events could not be read (${(err as Error).message}); the stop is recorded without them`)
      return []
    }
  }

  /** A tool of the spec's own (command or MCP) by name, if its servers are up. */
  specToolNamed(name: string): AnyTool | undefined {
    return this.specToolsInstance?.get(name)
  }

  private toolFor(name: string): AnyTool | undefined {
    const hosted = hostedTool(this.working.spec, name)
    const own = this.specTools().get(name)
    // The policy's agent runs one of the spec's tools: Andon still knows its schema, risk and idempotence.
    if (hosted && own) return { ...own, riskFor: undefined, run: hosted.run }
    return hosted ?? own ?? this.deps.tools.forSpec(name, builtinSelection(this.working.spec.tools))
  }

  private riskOf(tool: AnyTool, args: Record<string, unknown>): RiskLevel {
    if (tool.riskFor) return tool.riskFor(args, this.working.workspace ?? process.cwd())
    return this.working.spec.tools.find((t) => t.name === tool.name)?.risk ?? tool.risk
  }

  /** Wait out a provider's retry-after that was recorded before a restart (a cancel or shutdown ends the wait). */
  private async waitForProvider(): Promise<void> {
    const wait = (this.working.retryAt ?? 0) - this.deps.clock()
    if (wait > 0) await systemClock.sleep(wait, this.decisionAbort.signal).catch(() => undefined)
  }

  private async iterate(): Promise<void> {
    const s = this.working
    // A decision cut off (crash, shutdown, open circuit) is made again for the same iteration.
    let iteration = s.decidingIteration
    if (iteration === null) {
      if (s.iteration >= s.invariants.maxIterations) {
        return this.terminate('MAX_ITERATIONS', `iteration cap ${s.invariants.maxIterations} reached`)
      }
      iteration = s.iteration + 1
      await this.stage([{ type: 'IterationStarted', data: { iteration } }])
    }
    // The last iteration's outcome and this start are written (one commit) as soon as the decision takes any
    // time: durable while a model thinks or a provider is waited out. A decision made at once joins their commit.
    const written = this.writeSoon()
    let decided: Decided | null
    try {
      decided = await this.decide(iteration)
    } finally {
      await written()
    }
    // Cancelled, or abandoned for a shutdown: nothing was decided; the iteration is decided again later.
    if (!decided) return
    if ('error' in decided) return this.policyFailed(iteration, decided.error, decided.latencyMs)
    const { decision, latencyMs } = decided
    // Staged: written with the gate's events (and the call's start when it runs at once) in one commit.
    await this.stage([
      {
        type: 'DecisionMade',
        data: {
          iteration,
          policy: this.policy().kind,
          action: decision.action,
          subgoal: decision.subgoal,
          confidence: decision.confidence,
          rationale: decision.rationale,
          prompt: decision.prompt,
          rawResponse: decision.rawResponse,
          usage: decision.usage,
          latencyMs
        }
      }
    ])
    const tool = this.toolFor(decision.action.tool)
    if (!tool) {
      return this.failCheck(iteration, 'known-tool', `the policy asked for an unknown tool "${decision.action.tool}"`, 'escalate: the call was not run; patch state or abort')
    }
    const parsed = tool.input.safeParse(decision.action.args)
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ')
      return this.failCheck(iteration, 'valid-tool-input', `bad input for ${tool.name}: ${why}`, 'escalate: edit the call or add a fact')
    }
    const risk = this.riskOf(tool, decision.action.args)
    const action: Action = { tool: tool.name, args: decision.action.args }
    const callId = `${this.loopId}:${iteration}`
    // The before-call invariants refuse first; the approval rules are consulted only for a call they let through.
    const refused = await this.checkBeforeCall(iteration, { ...action, risk })
    if (refused) return this.refuse(iteration, callId, action, risk, refused)
    // Decided in the chain: a setAutonomy patch recorded before this turn (its command writes the staged decision first) gates this call.
    await this.writer.stage((state) => this.gate(state, iteration, callId, action, risk))
    // A gated call over budget escalates now rather than asking for an approval it cannot use.
    if (this.working.pendingCall?.callId === callId && this.working.pendingCall.approved === null) await this.withinBudget(iteration)
  }

  /** Ask the policy (once a provider's recorded retry-after has passed); null: cancelled or abandoned for a shutdown. */
  private async decide(iteration: number): Promise<Decided | null> {
    await this.waitForProvider()
    if (this.cancelled || this.stopping) return null
    // A policy that sends the state out (a model's API, another process) is asked once the last outcome is
    // durable: nothing leaves Andon that its store does not hold. One that decides here joins that commit.
    let local = false
    try {
      local = this.policy().local === true
    } catch {
      // Not buildable: the error is recorded below, where the policy is asked.
    }
    if (!local) await this.flush()
    const started = this.monotonic()
    const latency = () => Math.max(0, Math.round(this.monotonic() - started))
    try {
      const policy = this.policy()
      const tools = [...this.deps.tools.describe().filter((t) => this.toolFor(t.name)), ...this.specTools().list().map(describeTool)]
      const decision = await policy.decide({
        loopId: this.loopId,
        iteration,
        spec: this.working.spec,
        state: this.working,
        tools,
        specTools: this.specTools().list(),
        signal: this.decisionAbort.signal,
        onDelay: (until, reason) => void this.append([{ type: 'DecisionDelayed', data: { iteration, until, reason } }]).catch(() => undefined)
      })
      return { decision, latencyMs: latency() }
    } catch (err) {
      if (this.cancelled || this.stopping) return null
      return { error: err, latencyMs: latency() }
    }
  }

  /**
   * Write what is staged at the event loop's next turn. The returned function cancels that if it has not
   * begun (what was staged then goes with the next commit) and otherwise waits for the write, failing with it.
   */
  private writeSoon(): () => Promise<void> {
    let writing: Promise<void> | null = null
    const timer = setImmediate(() => {
      writing = this.flush()
      // Awaited by the caller; handled here so a failure is not reported as unhandled meanwhile.
      writing.catch(() => undefined)
    })
    return async () => {
      clearImmediate(timer)
      await writing
    }
  }

  /**
   * The approval gate's events for a proposed call: a deny rule refuses it unrun; an ask rule
   * always waits, an allow rule never does; with no rule, the loop's current autonomy mode decides.
   */
  private gate(state: LoopState, iteration: number, callId: string, action: Action, risk: RiskLevel): LoopEventInput[] {
    const rule = this.ruleFor(state, action)
    if (rule?.effect === 'deny') return this.deny(iteration, callId, action, risk, rule)
    const mode = state.autonomy
    const gated = rule ? rule.effect === 'ask' : needsApproval(mode, risk)
    const suggestion = !rule && mode === 'suggest-only'
    return [{ type: 'ActionProposed', data: { iteration, callId, action, risk, needsApproval: gated, ...(suggestion ? { suggestion } : {}), ...(rule ? { rule } : {}) } }]
  }

  /** The approval rule that decides a call (the spec's and the operator's rule set), or null. */
  private ruleFor(state: LoopState, action: Action): GateRule | null {
    const spec = state.spec
    let operators = this.deps.approvalRules?.(spec.name) ?? []
    // A bundle chose this spec's name: "always allow" rules kept for that name are not its to inherit.
    if (operators.some((r) => r.specScoped && r.effect === 'allow') && this.importedLineage()) operators = operators.filter((r) => !(r.specScoped && r.effect === 'allow'))
    const rules = [...specRules(spec.approvals), ...operators]
    return rules.length ? decidingRule(action, rules, { workspace: state.workspace ?? process.cwd() }) : null
  }

  private importedAncestor: boolean | null = null

  /** The loop descends from one imported from a bundle (its lineage never changes: read once). */
  private importedLineage(): boolean {
    this.importedAncestor ??= descendsFromImport(this.deps.store, this.loopId)
    return this.importedAncestor
  }

  /** A call a deny rule matches never runs: proposed (naming the rule) and rejected, so the policy hears why. */
  private deny(iteration: number, callId: string, action: Action, risk: RiskLevel, rule: GateRule): LoopEventInput[] {
    const where = rule.source === 'spec' ? 'the spec' : `the rule set (#${rule.id})`
    return [
      { type: 'ActionProposed', data: { iteration, callId, action, risk, needsApproval: false, rule } },
      { type: 'ActionRejected', data: { callId, by: deniedBy(rule.pattern), reason: `denied by the approval rule deny ${rule.pattern} in ${where}: the call was not run` } }
    ]
  }

  /** Before a call runs: a decision that already spent the budget does not get to act. */
  private async withinBudget(iteration: number): Promise<boolean> {
    const over = budgetExceeded(this.working, this.deps.clock())
    if (over === null) return true
    const result: InvariantResult = { name: 'budget', ok: false, detail: over, remediation: 'escalate: raise the budget or abort; the call waits' }
    await this.append([{ type: 'InvariantChecked', data: { iteration, results: [result] } }])
    await this.escalate('budget', `budget: ${over}; the proposed call was not run`, [result], 'BUDGET_EXHAUSTED')
    return false
  }

  /** An invariant that fails before the tool runs (hallucinated tool, malformed input). */
  private async failCheck(iteration: number, name: string, detail: string, remediation: string): Promise<void> {
    const results = [...checkInvariants(this.working, this.deps.clock()), { name, ok: false, detail, remediation }]
    await this.append([{ type: 'InvariantChecked', data: { iteration, results } }])
    await this.escalate('invariant', detail, results.filter((r) => !r.ok), invariantDef(name).abortReason)
  }

  /** The spec's before-call invariants on a proposed call: the ones that refuse it (escalate or stop), if any. */
  private async checkBeforeCall(iteration: number, call: Action & { risk: RiskLevel }): Promise<InvariantResult[] | null> {
    const s = this.working
    const { results, unevaluated } = await checkCustomInvariants('before-call', { state: s, call, observation: s.lastObservation, now: this.deps.clock() })
    this.beforeCall = results.length ? { iteration, results, unevaluated } : null
    const refusing = results.filter((r) => !r.ok && this.onFail(r.name, unevaluated) !== 'record')
    return refusing.length ? refusing : null
  }

  /**
   * A call the spec's own invariants refuse never runs: it is recorded as proposed and rejected by
   * the invariant (so the policy hears why, like an operator's rejection), then the loop stops
   * for an operator, or terminates for a `stop` invariant.
   */
  private async refuse(iteration: number, callId: string, action: Action, risk: RiskLevel, refusing: InvariantResult[]): Promise<void> {
    const { results: before, unevaluated } = this.beforeCall!
    this.beforeCall = null
    const results = [...checkInvariants(this.working, this.deps.clock()), ...before]
    const reason = refusing.map((r) => `invariant ${r.name} refused the call: ${r.remediation}`).join('; ')
    await this.append([
      { type: 'ActionProposed', data: { iteration, callId, action, risk, needsApproval: false } },
      { type: 'InvariantChecked', data: { iteration, results } },
      { type: 'ActionRejected', data: { callId, by: refusedBy(refusing.map((r) => r.name)), reason } }
    ])
    const stop = refusing.find((r) => this.onFail(r.name, unevaluated) === 'terminate')
    if (stop) return this.terminate(this.defOf(stop.name).abortReason, `invariant ${stop.name} failed before a call: ${stop.detail}`)
    const defs = refusing.map((r) => this.defOf(r.name))
    await this.escalate(escalationFor(defs), `${reason} (the call was not run)`, refusing, defs[0].abortReason)
  }

  /** What failing this invariant does here: one that could not be evaluated asks an operator rather than terminate. */
  private onFail(name: string, unevaluated: ReadonlySet<string>): InvariantDef['onFail'] {
    const action = this.defOf(name).onFail
    return action === 'terminate' && unevaluated.has(name) ? 'escalate' : action
  }

  private defOf(name: string): InvariantDef {
    return invariantDef(name, this.working.invariants.custom)
  }

  private async policyFailed(iteration: number, err: unknown, latencyMs: number): Promise<void> {
    if (!(err instanceof PolicyError)) {
      return this.terminate('FATAL_ERROR', `policy error: ${(err as Error).message}`)
    }
    await this.append([
      {
        type: 'DecisionFailed',
        data: {
          iteration,
          policy: this.policyInstance?.kind ?? this.working.spec.policy.kind,
          kind: err.kind,
          message: err.message.slice(0, 4000),
          rawResponse: err.rawResponse,
          usage: err.usage ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 },
          latencyMs: Math.max(0, Math.round(latencyMs))
        }
      }
    ])
    const def = invariantForPolicyError(err.kind)
    const result: InvariantResult = { name: def.name, ok: false, detail: `${err.kind}: ${err.message}`, remediation: def.remediation }
    const results = [...checkInvariants(this.working, this.deps.clock()), result]
    await this.append([{ type: 'InvariantChecked', data: { iteration, results } }])
    if (err.kind === 'circuit-open') {
      // The supervisor resumes the loop when the circuit lets its next probe through.
      const resumeAt = this.deps.clock() + (retryAfterOf(err) ?? CIRCUIT_RETRY_MS)
      await this.append([{ type: 'Paused', data: { by: 'circuit-breaker', reason: err.message, resumeAt } }])
      return
    }
    await this.escalate(def.escalation, `${err.kind}: ${err.message}`, results.filter((r) => !r.ok), def.abortReason)
  }

  async escalate(kind: EscalationKind, summary: string, failing: InvariantResult[], abortReason: TerminationReason): Promise<void> {
    const events = await this.recentEvents()
    const daily = failing.some((f) => f.name === 'daily-budget') ? this.deps.dailyBudget?.() : undefined
    const packet = buildPacket({ id: this.deps.newId(), state: this.working, events, kind, summary, failing, abortReason, daily })
    await this.append([{ type: 'Escalated', data: { packet } }])
  }

  /** After a crash: re-run an idempotent call; escalate one whose outcome is unknown. */
  private async recoverOpenCall(): Promise<void> {
    const call = this.working.openCall!
    if (call.idempotent || this.working.retryApproved) {
      await this.append([{ type: 'ToolOutput', data: { callId: call.callId, stream: 'info', chunk: '[re-running after an interruption]\n' } }])
      return this.act(true)
    }
    await this.escalate(
      'outcome-unknown',
      `${call.tool} started but never finished (the process stopped); it is not safe to re-run blindly`,
      [],
      'FATAL_ERROR'
    )
  }

  private async act(rerun: boolean): Promise<void> {
    const s = this.working
    const call = rerun ? s.openCall! : null
    const pending = s.pendingCall
    const callId = call?.callId ?? pending!.callId
    const action: Action = call ? { tool: call.tool, args: call.args } : pending!.action
    const iteration = pending?.iteration ?? s.iteration
    const tool = this.toolFor(action.tool)
    if (!tool) return this.failCheck(iteration, 'known-tool', `unknown tool "${action.tool}"`, 'escalate')
    // A re-run after a crash presents the key recorded the first time, so the tool can tell.
    const idempotencyKey = call?.idempotencyKey ?? createHash('sha256').update(`${this.loopId}\n${callId}`).digest('hex').slice(0, 32)
    // Write-ahead: the start (with the decision and gate staged before it, one commit) is durable before the tool runs.
    await this.append(
      rerun ? [] : [{ type: 'ToolStarted', data: { callId, tool: tool.name, args: action.args, idempotencyKey, idempotent: tool.idempotent } }]
    )
    const processes = this.deps.processes
    const result = await runTool({
      tool,
      action,
      callId,
      append: (events) => this.append(events),
      monotonic: this.monotonic,
      scrubber: this.scrubber,
      context: {
        loopId: this.loopId,
        callId,
        idempotencyKey,
        workspace: this.working.workspace ?? process.cwd(),
        signal: this.toolAbort.signal,
        secrets: this.deps.secrets,
        verifyCommand: this.working.spec.termination.verifyCommand,
        verifyStages: this.working.spec.termination.verify,
        sandbox: this.working.spec.sandbox,
        agent: hostedTool(this.working.spec, tool.name) ? this.policy().agent : undefined,
        onSpawn: processes ? (pid) => processes.started(this.loopId, callId, pid) : undefined
      }
    })
    processes?.finished(callId)
    // `result.tail`: the output the runner had not flushed, written with what the call ended in.
    if (this.cancelled) {
      await this.append([...result.tail, { type: 'ToolFinished', data: { callId, ok: false, exitCode: result.exitCode, durationMs: result.durationMs, error: 'cancelled' } }])
      return
    }
    if (this.stopping && this.toolAbort.signal.aborted) {
      // Ended by a shutdown: the call stays open and is recovered on the next start like a crash.
      await this.append([...result.tail, { type: 'ToolOutput', data: { callId, stream: 'info', chunk: '\n[ended: Andon shut down while this call ran]\n' } }])
      return
    }
    await this.observe(iteration, tool, result)
  }

  private signature(r: ToolResult, tool: string): string {
    return createHash('sha1').update(`${tool}\n${r.ok}\n${r.exitCode}\n${r.summary}\n${r.excerpt}`).digest('hex')
  }

  /** Progress: an observation not seen in the recent past (a changed output, a new result). */
  private isProgress(sig: string): boolean {
    if (!this.recentSignatures) this.recentSignatures = []
    const seen = this.recentSignatures.includes(sig)
    this.recentSignatures.push(sig)
    this.recentSignatures = this.recentSignatures.slice(-Math.max(2, this.working.invariants.progressEvery))
    return !seen
  }

  /** The call's outcome, staged: written with the iteration's checks (and the next start) in one commit. A crash before it is recovered like one during the call. */
  private async observe(iteration: number, tool: AnyTool, r: ToolResult & { durationMs: number; tail: LoopEventInput[] }): Promise<void> {
    const callId = this.working.openCall?.callId ?? `${this.loopId}:${iteration}`
    // The excerpt is read as text (the policy's prompt, rules, the inbox): colour codes stay in the terminal's ToolOutput.
    const observation = { tool: tool.name, ok: r.ok, exitCode: r.exitCode, summary: stripVTControlCharacters(r.summary).slice(0, 2000), excerpt: stripVTControlCharacters(r.excerpt) }
    await this.stage([
      ...r.tail,
      {
        type: 'ToolFinished',
        data: {
          callId,
          ok: r.ok,
          exitCode: r.exitCode,
          durationMs: r.durationMs,
          outputBytes: r.outputBytes ?? 0,
          truncated: r.truncated ?? false,
          error: r.ok ? undefined : r.summary.slice(0, 2000)
        }
      },
      { type: 'Observed', data: { iteration, observation, progress: this.isProgress(this.signature(r, tool.name)) } }
    ])
  }

  /**
   * An iteration ended (its call was observed, or the operator rejected it): check the invariants
   * (built-in, the spec's own) and decide between SUCCESS, a termination, an escalation, or going on.
   * The spec's own guardrails come before SUCCESS: work that breaks one has not succeeded.
   */
  private async afterIteration(iteration: number): Promise<void> {
    const s = this.working
    const inputs = { state: s, call: this.iterationCall(iteration), observation: s.lastObservation, now: this.deps.clock() }
    const custom = await checkCustomInvariants('after-iteration', inputs)
    const predicate = await successPredicate({ ...inputs, call: null })
    const before = this.beforeCall?.iteration === iteration ? this.beforeCall.results : []
    this.beforeCall = null
    const results = [...checkInvariants(s, inputs.now), ...before, ...custom.results]
    if (predicate?.error) results.push(this.predicateFailure(predicate.error))
    // Staged: a stop or an escalation writes it first; a loop that goes on writes it with its next start.
    await this.stage([{ type: 'InvariantChecked', data: { iteration, results } }])
    const failing = results.filter((x) => !x.ok)
    const action = (f: InvariantResult) => this.onFail(f.name, custom.unevaluated)
    const stop = failing.find((f) => action(f) === 'terminate' && this.defOf(f.name).custom)
    if (stop) return this.terminate(this.defOf(stop.name).abortReason, `invariant ${stop.name} failed: ${stop.detail}`)
    const escalating = failing.filter((f) => action(f) === 'escalate')
    const guardFailed = escalating.some((f) => this.defOf(f.name).custom)
    const success = guardFailed ? null : this.successAt(iteration, predicate)
    if (success) return this.terminate('SUCCESS', success)
    if (failing.some((f) => f.name === 'iteration-cap')) return this.terminate('MAX_ITERATIONS', `stopped after ${iteration} iterations without success`)
    if (escalating.length > 0) {
      const defs = escalating.map((f) => this.defOf(f.name))
      await this.escalate(escalationFor(defs), escalating.map((f) => `${f.name}: ${f.detail}`).join('; '), escalating, defs[0].abortReason)
    }
  }

  private predicateFailure(error: string): InvariantResult {
    const def = invariantDef('success-predicate')
    return { name: def.name, ok: false, detail: `could not be evaluated (${error}): ${this.working.spec.termination.success}`.slice(0, 2000), remediation: def.remediation }
  }

  /** The call this iteration made or proposed, for the spec's own invariants (null: none recorded in state). */
  private iterationCall(iteration: number): (Action & { risk?: string }) | null {
    const rejected = this.working.rejections.at(-1)
    if (rejected?.iteration === iteration) return rejected.action
    return this.working.lastCall
  }

  /**
   * Why the loop succeeded at this iteration, or null: the spec's success predicate holds, or,
   * without one, the success tool's call of this iteration passed (run and not rejected). An
   * observation that is the operator's word (an answer, a reported outcome) is never SUCCESS,
   * with or without a predicate: only what ran can show the work is done.
   */
  private successAt(iteration: number, predicate: { holds: boolean } | null): string | null {
    const s = this.working
    const obs = s.lastObservation
    if (obs?.resolvedBy) return null
    if (predicate) return predicate.holds ? `termination.success held at iteration ${iteration}` : null
    const rejected = s.rejections.at(-1)?.iteration === iteration
    if (rejected || !obs || !obs.ok || obs.tool !== s.spec.termination.successTool) return null
    return `${obs.tool} passed at iteration ${iteration}`
  }
}
