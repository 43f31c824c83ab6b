/**
 * The `claude-code` policy: a Claude Code session (through the Claude Agent SDK) is the agent,
 * Andon the supervisor around it. Each tool call Claude Code wants is one decision; the driver
 * gates, records and (through `agent.run`) lets it run. When Claude ends its turn, the decision is
 * Andon's verify tool: the convergence contract, not Claude's "done", ends the loop.
 */
import type { ClaudeCodePolicySpec } from '../../../../shared/spec'
import { refusalSource, stableJson, type LoopState } from '../../../../shared/state'
import type { Usage } from '../../../../shared/events'
import { backpressureOf, type Backpressure } from '../../backpressure'
import type { TraceStore } from '../../store/trace-store'
import type { AnyTool, HostedAgent, ToolContext, ToolResult } from '../../tools/tool'
import { costOf, type TokenCounts } from '../anthropic/prices'
import { PolicyError, type Decision, type DecisionInput, type Policy } from '../policy'
import { findClaudeCode, loadSdk, type Installation } from './installation'
import { operatorContext, resumeNote, subgoalFrom, taskMessage, toolResultOf, verifyFeedback, type Delivered } from './messages'
import { resumePointFor, type SessionMark } from './recorded-session'
import { ancestorWorkspaces, relocatePaths } from './relocate'
import { ClaudeCodeSession, type SessionEvent } from './session'
import { sessionEnv, sessionSandbox } from './session-env'
import { andonNameOf, specToolServers } from './spec-tool-servers'

export { claudeCodeTool, CLAUDE_CODE_RISK } from './tools'
export { findClaudeCode } from './installation'

export interface ClaudeCodePolicyDeps {
  store: TraceStore
  env: Record<string, string | undefined>
  backpressure?: Backpressure
}

/** Claude Code reports no confidence of its own: recorded as neutral, so the confidence floor does not apply. */
const UNREPORTED_CONFIDENCE = 0.5
const CHECK_SUBGOAL = 'check the work: Claude Code says it is done'

export interface ClaudeCodePolicy extends Policy {
  agent: HostedAgent
}

export function createClaudeCodePolicy(spec: ClaudeCodePolicySpec, deps: ClaudeCodePolicyDeps): ClaudeCodePolicy {
  const found = findClaudeCode(spec, deps.env)
  if (typeof found === 'string') throw new PolicyError('config', found)
  return new SupervisedClaudeCode(spec, deps, found)
}

class SupervisedClaudeCode implements ClaudeCodePolicy {
  readonly kind = 'claude-code'
  private session: ClaudeCodeSession | null = null
  /** The call of the last decision, held at Claude Code's gate until it runs or is refused. */
  private held: { toolUseId: string; callId: string; iteration: number } | null = null
  private delivered: Delivered = { facts: new Set(), subgoal: '' }
  private subgoal = ''
  /** For a fork: the folders its conversation may still name (its ancestors' workspaces). */
  private movedFrom: string[] = []
  /** The recorded conversation could not be resumed here: the next session starts afresh with the task. */
  private startAfresh = false
  private readonly bp: Backpressure
  /** The call the gate let through while it runs: a spec tool Claude Code calls runs with its context. */
  private approved: { tool: string; args: Record<string, unknown>; ctx: ToolContext; claimed: boolean; result: ToolResult | null } | null = null

  constructor(
    private readonly spec: ClaudeCodePolicySpec,
    private readonly deps: ClaudeCodePolicyDeps,
    private readonly installation: Installation
  ) {
    this.bp = backpressureOf(deps)
  }

  readonly agent: HostedAgent = {
    run: (callId, tool, args, ctx) => this.run(callId, tool, args, ctx)
  }

  async decide(input: DecisionInput): Promise<Decision> {
    this.bp.ledger.check()
    const sent: string[] = []
    const session = await this.ensureSession(input, sent)
    for (const c of operatorContext(input.state, this.delivered)) {
      session.addContext(c)
      sent.push(c)
    }
    this.answerHeld(input.state, session, sent)
    if (session.idle) {
      const say = verifyFeedback(input.state) ?? 'Continue the task.'
      session.say(say)
      sent.push(say)
    }
    const ev = await session.next(input.signal)
    return this.decision(ev, input, session, sent)
  }

  /** Claude Code's session is gone (cancel, shutdown, the loop ended): end its process. */
  close(): void {
    this.session?.close()
    this.session = null
    this.held = null
  }

  private async ensureSession(input: DecisionInput, sent: string[]): Promise<ClaudeCodeSession> {
    if (this.session && !this.session.ended) return this.session
    const sdk = await loadSdk().catch((err: Error) => {
      throw new PolicyError('config', `the Claude Agent SDK could not be loaded: ${err.message}`)
    })
    const mcpServers = input.specTools?.length ? await specToolServers(input.specTools, (tool, args) => this.runApproved(tool, args)) : undefined
    const state = input.state
    const resume = this.startAfresh ? null : resumePointFor(state, this.deps.store)
    this.startAfresh = false
    // The operator's facts go with the first message; after that only what is new. The subgoal
    // so far is Claude's own (decisions set it): only the operator's later changes are news.
    this.delivered = { facts: new Set(), subgoal: state.subgoal }
    const workspace = state.workspace ?? process.cwd()
    this.movedFrom = resume?.fork ? ancestorWorkspaces(state, this.deps.store) : []
    const opening = resume ? [resumeNote(resume.fork ? 'fork' : 'restart', state, workspace), verifyFeedback(state)] : [taskMessage(state)]
    const first = [...opening, ...operatorContext(state, this.delivered)].filter(Boolean).join('\n\n')
    sent.push(first)
    this.held = null
    this.session = new ClaudeCodeSession(
      sdk.query as never,
      {
        cwd: workspace,
        model: this.spec.model,
        env: sessionEnv(this.deps.env, state.spec.secrets),
        executable: this.installation.executable,
        appendSystemPrompt: this.spec.appendSystemPrompt,
        tools: this.spec.allowedTools,
        disallowedTools: this.spec.disallowedTools,
        maxTurns: this.spec.maxTurns,
        sandbox: sessionSandbox(state.spec.sandbox, workspace),
        mcpServers,
        resume: resume ?? undefined
      },
      first
    )
    return this.session
  }

  /**
   * The last decision's call never ran (the operator rejected or answered it, or a rule or an
   * invariant refused it): tell Claude why, as the permission denial's message.
   */
  private answerHeld(state: LoopState, session: ClaudeCodeSession, sent: string[]): void {
    const held = this.held
    this.held = null
    if (!held || !session.isHeld(held.toolUseId)) return
    const rejection = state.rejections.find((r) => r.iteration === held.iteration)
    const answer = state.lastAnswer?.callId === held.callId ? state.lastAnswer : null
    const reason = answer
      ? `The operator supervising you (through Andon) did not run this call and answered it instead${answer.ok ? '' : ' (as a failure)'}: ${answer.answer}`
      : !rejection
        ? 'Andon did not run this call.'
        : refusalSource(rejection.by) !== 'operator'
          ? `Andon refused this call: ${rejection.reason}`
          : `The operator supervising you (through Andon) rejected this call: ${rejection.reason}`
    session.deny(held.toolUseId, reason)
    sent.push(reason)
  }

  /** A decision's tokens as usage at the model's price, counted against today's spend. */
  private charge(counts: TokenCounts): Usage {
    const input = counts.input_tokens + (counts.cache_creation_input_tokens ?? 0) + (counts.cache_read_input_tokens ?? 0)
    const { costUsd } = costOf(this.spec.model, counts, this.spec.pricing)
    this.bp.ledger.record(costUsd)
    return { inputTokens: input, outputTokens: counts.output_tokens, costUsd }
  }

  private decision(ev: SessionEvent, input: DecisionInput, session: ClaudeCodeSession, sent: string[]): Decision {
    const sessionId = session.sessionId ?? ''
    const failed = ev.kind === 'ended' || (ev.kind === 'turn-ended' && !ev.ok)
    if (failed && session.resumed && !session.initialized) {
      // The conversation is not on this machine (another CLAUDE_CONFIG_DIR, an imported loop): say so, start afresh next.
      this.close()
      this.startAfresh = true
      throw new PolicyError('server', `Claude Code could not resume session ${sessionId || '(a fork)'}: ${ev.detail}; resuming the loop starts a new session with the task`, this.charge(ev.usage))
    }
    if (ev.kind === 'ended') {
      this.close()
      throw new PolicyError('server', `${ev.detail}; resuming the loop resumes the session`, this.charge(ev.usage))
    }
    if (ev.kind === 'turn-ended') {
      const usage = this.charge(ev.usage)
      if (!ev.ok) throw new PolicyError('no-action', `${ev.detail}; resuming the loop asks Claude Code to continue`, usage)
      const mark: SessionMark = { sessionId, resumeAt: ev.tipUuid }
      this.delivered.subgoal = CHECK_SUBGOAL
      return {
        action: { tool: input.spec.termination.successTool, args: {} },
        subgoal: CHECK_SUBGOAL,
        confidence: UNREPORTED_CONFIDENCE,
        rationale: ev.text || ev.detail,
        prompt: sent.length ? { sent } : undefined,
        rawResponse: { claudeCode: mark, endOfTurn: true },
        usage
      }
    }
    const { call } = ev
    this.held = { toolUseId: call.toolUseId, callId: `${input.loopId}:${input.iteration}`, iteration: input.iteration }
    this.subgoal = subgoalFrom(call.tool, call.input, call.text, this.subgoal || input.state.subgoal)
    this.delivered.subgoal = this.subgoal
    const mark: SessionMark = { sessionId, resumeAt: call.priorUuid }
    return {
      action: { tool: andonNameOf(call.tool), args: relocatePaths(call.input, this.movedFrom, input.state.workspace ?? process.cwd()) },
      subgoal: this.subgoal,
      confidence: UNREPORTED_CONFIDENCE,
      rationale: call.text || `Claude Code asked for ${call.tool}`,
      prompt: sent.length ? { sent } : undefined,
      rawResponse: { claudeCode: mark, toolUseId: call.toolUseId },
      usage: this.charge(call.usage)
    }
  }

  /** The gate approved the held call: Claude Code runs it (with the operator's edit, if any) and reports back. */
  private async run(callId: string, tool: string, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> {
    const held = this.held
    const session = this.session
    if (!held || held.callId !== callId || !session || !session.isHeld(held.toolUseId)) {
      return { ok: false, exitCode: null, summary: `${tool} did not run: the Claude Code session that asked for it has ended (Andon restarted); Claude is asked to go on`, excerpt: '' }
    }
    this.held = null
    ctx.emit('info', `[Claude Code runs ${tool}]\n`)
    const onAbort = () => session.close()
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    this.approved = { tool, args, ctx, claimed: false, result: null }
    try {
      const outcome = await session.allow(held.toolUseId, args)
      // One of the spec's tools ran in Andon's process: its own result says more than Claude Code's echo of it.
      return this.approved.result ?? toolResultOf(tool, args, outcome, ctx.emit)
    } finally {
      this.approved = null
      ctx.signal.removeEventListener('abort', onAbort)
    }
  }

  /** Claude Code calls one of the spec's tools (served from Andon): run it if it is the call the gate let through. */
  private async runApproved(tool: AnyTool, args: Record<string, unknown>): Promise<ToolResult | null> {
    const approved = this.approved
    // Only the call the gate let through, once, with the input it let through.
    if (!approved || approved.claimed || approved.tool !== tool.name || stableJson(args) !== stableJson(approved.args)) return null
    approved.claimed = true
    const parsed = tool.input.safeParse(args)
    approved.result = parsed.success
      ? await tool.run(parsed.data, approved.ctx).catch((err: Error) => ({ ok: false, exitCode: null, summary: `${tool.name} failed: ${err.message}`, excerpt: '' }))
      : { ok: false, exitCode: null, summary: `bad input for ${tool.name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ')}`, excerpt: '' }
    return approved.result
  }
}
