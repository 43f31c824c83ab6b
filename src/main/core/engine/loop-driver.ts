/**
 * The loop driver: observe → decide → act → observe for one loop, driven from its folded
 * state. Every step is an appended event, so the driver can stop anywhere (pause, approval,
 * escalation, crash) and continue later from the store alone.
 */
import { createHash } from 'node:crypto'
import type { EscalationKind } from '../../../shared/escalation'
import type { InvariantResult, LoopEventInput, TerminationReason } from '../../../shared/events'
import { evolve, type LoopState } from '../../../shared/state'
import type { Action, AutonomyMode, RiskLevel } from '../../../shared/spec'
import { retryAfterOf } from '../backpressure/errors'
import { PolicyError, type Decision, type Policy } from '../policies/policy'
import type { TraceStore } from '../store/trace-store'
import type { AnyTool, ToolRegistry, ToolResult } from '../tools/tool'
import { buildPacket } from './escalation'
import { createScrubber, type Scrubber } from './scrub'
import { abortReasonFor, checkInvariants } from './invariants'

export interface DriverDeps {
  store: TraceStore
  tools: ToolRegistry
  policy: Policy
  clock: () => number
  newId: () => string
  /** Called whenever a run stops (paused, waiting, escalated, terminated). */
  onStop?: (state: LoopState) => void
  /** Secrets the spec asked for, resolved from the environment. Never recorded. */
  secrets: Record<string, string>
  /** Every secret value this loop could meet (its own and the providers' keys), scrubbed from events. */
  scrubValues?: Record<string, string>
}

/** How often buffered tool output is appended while a tool runs. */
const OUTPUT_FLUSH_MS = 50
const OUTPUT_FLUSH_CHARS = 16 * 1024
const PACKET_EVENT_WINDOW = 400
const CIRCUIT_RETRY_MS = 30_000

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
  private readonly abort = new AbortController()
  private running: Promise<void> | null = null
  private chain: Promise<unknown> = Promise.resolve()
  private recentSignatures: string[] | null = null
  private readonly scrub: Scrubber

  constructor(
    readonly loopId: string,
    public state: LoopState,
    private readonly deps: DriverDeps
  ) {
    this.scrub = createScrubber({ ...deps.scrubValues, ...deps.secrets })
  }

  get isRunning(): boolean {
    return this.running !== null
  }

  /** Run until the loop stops for any reason; concurrent calls share one run. */
  drive(): Promise<void> {
    if (!this.running) {
      this.running = this.loop().finally(() => {
        this.running = null
        this.deps.onStop?.(this.state)
      })
    }
    return this.running
  }

  requestPause(reason: string, by = 'operator'): void {
    this.pauseReason = reason
    this.pauseBy = by
  }

  /** Cancel: kills a running tool and aborts a pending model call. */
  cancel(): void {
    this.cancelled = true
    this.abort.abort()
  }

  /** Append through one chain so events keep their order and expected versions. */
  append(events: LoopEventInput[]): Promise<void> {
    const next = this.chain.then(async () => {
      const stored = await this.deps.store.append(this.loopId, this.scrub(events), this.state.version)
      for (const ev of stored) this.state = evolve(this.state, ev)
    })
    this.chain = next.catch(() => undefined)
    return next
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        const s = this.state
        if (s.status === 'terminated' || s.readOnly) return
        if (this.cancelled) return await this.terminate('CANCELLED', 'cancelled by the operator')
        if (s.status !== 'running') return
        if (this.pauseReason !== null) {
          const reason = this.pauseReason
          this.pauseReason = null
          await this.append([{ type: 'Paused', data: { by: this.pauseBy, reason } }])
          return
        }
        if (s.openCall) {
          await this.recoverOpenCall()
          continue
        }
        if (s.pendingCall) {
          if (s.pendingCall.approved !== true) return
          await this.act(false)
          continue
        }
        await this.iterate()
      }
    } catch (err) {
      if (this.state.status === 'terminated') return
      // A bug or a store failure: record it if the store still works, never lose the cause.
      await this.terminate('FATAL_ERROR', `engine error: ${(err as Error).message}`).catch(() => undefined)
    }
  }

  private async terminate(reason: TerminationReason, detail: string): Promise<void> {
    await this.append([{ type: 'Terminated', data: { reason, detail, iteration: this.state.iteration } }])
  }

  private toolFor(name: string): AnyTool | undefined {
    return this.deps.tools.forSpec(name, this.state.spec.tools)
  }

  private riskOf(tool: AnyTool): RiskLevel {
    return this.state.spec.tools.find((t) => t.name === tool.name)?.risk ?? tool.risk
  }

  private async iterate(): Promise<void> {
    const s = this.state
    if (s.iteration >= s.invariants.maxIterations) {
      return this.terminate('MAX_ITERATIONS', `iteration cap ${s.invariants.maxIterations} reached`)
    }
    const iteration = s.iteration + 1
    await this.append([{ type: 'IterationStarted', data: { iteration } }])
    const started = this.deps.clock()
    let decision: Decision
    try {
      const tools = this.deps.tools.describe().filter((t) => this.toolFor(t.name))
      decision = await this.deps.policy.decide({
        loopId: this.loopId,
        iteration,
        spec: s.spec,
        state: this.state,
        tools,
        signal: this.abort.signal
      })
    } catch (err) {
      if (this.cancelled) return
      return this.policyFailed(iteration, err, this.deps.clock() - started)
    }
    const latencyMs = this.deps.clock() - started
    await this.append([
      {
        type: 'DecisionMade',
        data: {
          iteration,
          policy: this.deps.policy.kind,
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
    const risk = this.riskOf(tool)
    const gated = needsApproval(s.spec.autonomy, risk)
    const action: Action = { tool: tool.name, args: decision.action.args }
    await this.append([
      { type: 'ActionProposed', data: { iteration, callId: `${this.loopId}:${iteration}`, action, risk, needsApproval: gated } }
    ])
  }

  /** An invariant that fails before the tool runs (hallucinated tool, malformed input). */
  private async failCheck(iteration: number, name: string, detail: string, remediation: string): Promise<void> {
    const results = [...checkInvariants(this.state, this.deps.clock()), { name, ok: false, detail, remediation }]
    await this.append([{ type: 'InvariantChecked', data: { iteration, results } }])
    await this.escalate('invariant', detail, results.filter((r) => !r.ok), abortReasonFor(name))
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
          policy: this.deps.policy.kind,
          kind: err.kind,
          message: err.message.slice(0, 4000),
          rawResponse: err.rawResponse,
          usage: err.usage ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 },
          latencyMs
        }
      }
    ])
    if (err.kind === 'config') return this.terminate('FATAL_ERROR', err.message)
    const name = {
      'malformed-response': 'valid-tool-call',
      'max-tokens': 'response-complete',
      'replay-divergence': 'replay-matches',
      budget: 'budget'
    }[err.kind as string] ?? 'policy-ok'
    const result: InvariantResult = { name, ok: false, detail: `${err.kind}: ${err.message}`, remediation: 'escalate' }
    const results = [...checkInvariants(this.state, this.deps.clock()), result]
    await this.append([{ type: 'InvariantChecked', data: { iteration, results } }])
    if (err.kind === 'circuit-open') {
      // The supervisor resumes the loop when the circuit lets its next probe through.
      const resumeAt = this.deps.clock() + (retryAfterOf(err) ?? CIRCUIT_RETRY_MS)
      await this.append([{ type: 'Paused', data: { by: 'circuit-breaker', reason: err.message, resumeAt } }])
      return
    }
    const kind: EscalationKind = err.kind === 'budget' ? 'budget' : name === 'policy-ok' ? 'error' : 'invariant'
    await this.escalate(kind, `${err.kind}: ${err.message}`, results.filter((r) => !r.ok), err.kind === 'budget' ? 'BUDGET_EXHAUSTED' : 'FATAL_ERROR')
  }

  async escalate(kind: EscalationKind, summary: string, failing: InvariantResult[], abortReason: TerminationReason): Promise<void> {
    await this.chain
    const v = this.state.version
    const events = this.deps.store.readStream(this.loopId, { afterVersion: Math.max(0, v - PACKET_EVENT_WINDOW) })
    const packet = buildPacket({ id: this.deps.newId(), state: this.state, events, kind, summary, failing, abortReason })
    await this.append([{ type: 'Escalated', data: { packet } }])
  }

  /** After a crash: re-run an idempotent call; escalate one whose outcome is unknown. */
  private async recoverOpenCall(): Promise<void> {
    const call = this.state.openCall!
    if (call.idempotent || this.state.retryApproved) {
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
    const s = this.state
    const call = rerun ? s.openCall! : null
    const pending = s.pendingCall
    const callId = call?.callId ?? pending!.callId
    const action: Action = call ? { tool: call.tool, args: call.args } : pending!.action
    const iteration = pending?.iteration ?? s.iteration
    const tool = this.toolFor(action.tool)
    if (!tool) return this.failCheck(iteration, 'known-tool', `unknown tool "${action.tool}"`, 'escalate')
    // A re-run after a crash presents the key recorded the first time, so the tool can tell.
    const idempotencyKey = call?.idempotencyKey ?? createHash('sha256').update(`${this.loopId}\n${callId}`).digest('hex').slice(0, 32)
    if (!rerun) {
      await this.append([
        {
          type: 'ToolStarted',
          data: {
            callId,
            tool: tool.name,
            args: action.args,
            idempotencyKey,
            idempotent: tool.idempotent
          }
        }
      ])
    }
    const result = await this.runTool(tool, action, callId, idempotencyKey)
    if (this.cancelled) {
      await this.append([{ type: 'ToolFinished', data: { callId, ok: false, exitCode: result.exitCode, durationMs: 0, error: 'cancelled' } }])
      return
    }
    await this.observe(iteration, tool, result)
  }

  private async runTool(tool: AnyTool, action: Action, callId: string, idempotencyKey: string): Promise<ToolResult & { durationMs: number }> {
    let buffer: { stream: 'stdout' | 'stderr' | 'info'; chunk: string }[] = []
    let buffered = 0
    let timer: NodeJS.Timeout | null = null
    const flush = () => {
      if (timer) clearTimeout(timer)
      timer = null
      if (buffer.length === 0) return
      // Merge adjacent chunks of one stream: fewer, larger events.
      const merged: typeof buffer = []
      for (const b of buffer) {
        const last = merged[merged.length - 1]
        if (last && last.stream === b.stream) last.chunk += b.chunk
        else merged.push({ ...b })
      }
      buffer = []
      buffered = 0
      void this.append(merged.map((m) => ({ type: 'ToolOutput', data: { callId, stream: m.stream, chunk: m.chunk } })))
    }
    const started = this.deps.clock()
    let result: ToolResult
    try {
      result = await tool.run(tool.input.parse(action.args), {
        loopId: this.loopId,
        callId,
        idempotencyKey,
        workspace: this.state.workspace ?? process.cwd(),
        signal: this.abort.signal,
        secrets: this.deps.secrets,
        verifyCommand: this.state.spec.termination.verifyCommand,
        emit: (stream, chunk) => {
          buffer.push({ stream, chunk })
          buffered += chunk.length
          if (buffered >= OUTPUT_FLUSH_CHARS) flush()
          else if (!timer) timer = setTimeout(flush, OUTPUT_FLUSH_MS)
        }
      })
    } catch (err) {
      result = { ok: false, exitCode: null, summary: `${tool.name} failed: ${(err as Error).message}`, excerpt: '' }
    }
    flush()
    return { ...result, durationMs: this.deps.clock() - started }
  }

  private signature(r: ToolResult, tool: string): string {
    return createHash('sha1').update(`${tool}\n${r.ok}\n${r.exitCode}\n${r.summary}\n${r.excerpt}`).digest('hex')
  }

  /** Progress: an observation not seen in the recent past (a changed output, a new result). */
  private isProgress(sig: string): boolean {
    if (!this.recentSignatures) this.recentSignatures = []
    const seen = this.recentSignatures.includes(sig)
    this.recentSignatures.push(sig)
    this.recentSignatures = this.recentSignatures.slice(-Math.max(2, this.state.invariants.progressEvery))
    return !seen
  }

  private async observe(iteration: number, tool: AnyTool, r: ToolResult & { durationMs: number }): Promise<void> {
    const callId = this.state.openCall?.callId ?? `${this.loopId}:${iteration}`
    const observation = { tool: tool.name, ok: r.ok, exitCode: r.exitCode, summary: r.summary.slice(0, 2000), excerpt: r.excerpt }
    await this.append([
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
    const results = checkInvariants(this.state, this.deps.clock())
    await this.append([{ type: 'InvariantChecked', data: { iteration, results } }])
    const success = r.ok && tool.name === this.state.spec.termination.successTool
    if (success) return this.terminate('SUCCESS', `${tool.name} passed at iteration ${iteration}`)
    const failing = results.filter((x) => !x.ok)
    if (failing.some((f) => f.name === 'iteration-cap')) {
      return this.terminate('MAX_ITERATIONS', `stopped after ${iteration} iterations without success`)
    }
    if (failing.length > 0) {
      const kind: EscalationKind = failing.some((f) => f.name === 'budget') ? 'budget' : 'invariant'
      await this.escalate(kind, failing.map((f) => `${f.name}: ${f.detail}`).join('; '), failing, abortReasonFor(failing[0].name))
    }
  }
}
