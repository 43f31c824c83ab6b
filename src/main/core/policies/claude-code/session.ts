/**
 * One Claude Code session, turned inside out for Andon's loop: Claude Code runs its own agent
 * loop, and every tool call it wants waits in a PreToolUse hook until Andon answers. Each call
 * (and each end of turn) comes out of `next()` as an event; `allow` / `deny` answer the held call,
 * `say` sends the next user message (streaming input), `addContext` rides on the next tool result.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import type { HookJSONOutput, Options, SDKMessage, SDKUserMessage, SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk'
import type { TokenCounts } from '../anthropic/prices'
import { AsyncQueue, Deferred } from './async'
import { tiedToThisProcess } from '../../platform/watchdog'

export interface HeldCall {
  toolUseId: string
  tool: string
  input: Record<string, unknown>
  /** Claude's text since the previous call: its reasoning for this one. */
  text: string
  usage: TokenCounts
  /** The conversation's last entry before the message that asked for this call: where a fork of it resumes. */
  priorUuid: string | null
}

export type SessionEvent =
  | { kind: 'call'; call: HeldCall }
  /** Claude Code ended its turn ("done"): `ok` false when the turn ended on an error or a limit. */
  | { kind: 'turn-ended'; ok: boolean; text: string; detail: string; usage: TokenCounts; tipUuid: string | null }
  | { kind: 'ended'; detail: string; usage: TokenCounts }

/** What a call Andon let through did, from PostToolUse / PostToolUseFailure. */
export interface CallOutcome {
  ok: boolean
  response: unknown
  error?: string
}

export interface SessionOptions {
  cwd: string
  model: string
  env: Record<string, string>
  executable: string | null
  appendSystemPrompt?: string
  tools?: string[]
  disallowedTools?: string[]
  maxTurns?: number
  /** Claude Code's own command sandbox (the same runtime as Andon's), set from the spec's sandbox section. */
  sandbox?: Options['sandbox']
  /** In-process MCP servers: the spec's own tools, served from Andon. */
  mcpServers?: Options['mcpServers']
  resume?: { sessionId: string; at?: string; fork: boolean }
}

type QueryFn = (params: { prompt: AsyncIterable<SDKUserMessage>; options: Options }) => AsyncIterable<SDKMessage>

/** How long a call may wait at Andon's gate (an operator's approval): a day; past that Claude Code blocks it. */
const GATE_TIMEOUT_S = 86_400
const STDERR_TAIL = 2000

const zero = (): TokenCounts => ({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 })

function add(a: TokenCounts, b: Partial<TokenCounts> | undefined): TokenCounts {
  return {
    input_tokens: a.input_tokens + (b?.input_tokens ?? 0),
    output_tokens: a.output_tokens + (b?.output_tokens ?? 0),
    cache_creation_input_tokens: (a.cache_creation_input_tokens ?? 0) + (b?.cache_creation_input_tokens ?? 0),
    cache_read_input_tokens: (a.cache_read_input_tokens ?? 0) + (b?.cache_read_input_tokens ?? 0)
  }
}

/** What is left of `total` once `part` is counted (never below zero). */
function remainder(total: Partial<TokenCounts> | undefined, part: TokenCounts): TokenCounts {
  const left = (k: keyof TokenCounts) => Math.max(0, (total?.[k] ?? 0) - (part[k] ?? 0))
  return { input_tokens: left('input_tokens'), output_tokens: left('output_tokens'), cache_creation_input_tokens: left('cache_creation_input_tokens'), cache_read_input_tokens: left('cache_read_input_tokens') }
}

export class ClaudeCodeSession {
  sessionId: string | null = null
  /** The session ended (closed, or Claude Code exited): a new one resumes it by id. */
  ended = false
  /**
   * Claude Code finished its turn and that end of turn was taken by `next()`: it waits for the next
   * user message. An end of turn still queued is not idle yet, or a message said now would start a
   * turn nobody decided on.
   */
  idle = false
  /** Claude Code started and announced its session (a resume of a conversation it cannot find never does). */
  initialized = false
  readonly resumed: boolean
  private readonly events = new AsyncQueue<SessionEvent>()
  private readonly prompts = new AsyncQueue<SDKUserMessage>()
  private readonly gates = new Map<string, Deferred<HookJSONOutput>>()
  private readonly outcomes = new Map<string, Deferred<CallOutcome>>()
  private readonly abort = new AbortController()
  private context: string[] = []
  private text: string[] = []
  private pendingUsage = zero()
  private turnAttributed = zero()
  /** Per assistant message id (its blocks arrive as separate messages): the chain entry before it. */
  private readonly messagePrior = new Map<string, string | null>()
  /** Per tool_use id: the chain entry before the assistant message that asked for it. */
  private readonly priorOf = new Map<string, string | null>()
  private tipUuid: string | null = null
  private child: ChildProcess | null = null
  /** The end of what Claude Code printed on stderr: said when it stops unexpectedly. */
  private stderrTail = ''

  constructor(query: QueryFn, opts: SessionOptions, firstMessage: string) {
    this.sessionId = opts.resume && !opts.resume.fork ? opts.resume.sessionId : null
    this.resumed = opts.resume !== undefined
    this.say(firstMessage)
    const stream = query({ prompt: this.promptStream(), options: this.options(opts) })
    void this.consume(stream)
  }

  private options(opts: SessionOptions): Options {
    const matcher = (hook: (input: never, id: string | undefined) => Promise<HookJSONOutput>) => [{ hooks: [hook as never], timeout: GATE_TIMEOUT_S, onFailure: 'block' as const }]
    return {
      cwd: opts.cwd,
      model: opts.model,
      env: opts.env,
      ...(opts.executable ? { pathToClaudeCodeExecutable: opts.executable } : {}),
      ...(opts.appendSystemPrompt ? { systemPrompt: { type: 'preset', preset: 'claude_code', append: opts.appendSystemPrompt } } : {}),
      ...(opts.tools ? { tools: opts.tools } : {}),
      ...(opts.disallowedTools ? { disallowedTools: opts.disallowedTools } : {}),
      ...(opts.maxTurns ? { maxTurns: opts.maxTurns } : {}),
      ...(opts.sandbox ? { sandbox: opts.sandbox } : {}),
      ...(opts.mcpServers ? { mcpServers: opts.mcpServers } : {}),
      ...(opts.resume ? { resume: opts.resume.sessionId, forkSession: opts.resume.fork, ...(opts.resume.at ? { resumeSessionAt: opts.resume.at } : {}) } : {}),
      // No settings from the workspace or the user: a workspace's hooks would run outside Andon's gate.
      settingSources: [],
      permissionMode: 'default',
      abortController: this.abort,
      spawnClaudeCodeProcess: (o) => this.spawn(o),
      hooks: {
        PreToolUse: matcher((input: { tool_name: string; tool_input: unknown; tool_use_id: string }) => this.gate(input)),
        PostToolUse: matcher((input: { tool_use_id: string; tool_response: unknown }) => this.finished(input.tool_use_id, { ok: true, response: input.tool_response }, 'PostToolUse')),
        PostToolUseFailure: matcher((input: { tool_use_id: string; error: string }) =>
          this.finished(input.tool_use_id, { ok: false, response: null, error: input.error }, 'PostToolUseFailure')
        )
      },
      // Andon's hook answers every call; this is only reached if the hook could not, and refuses.
      canUseTool: async () => ({ behavior: 'deny', message: "Andon's gate did not answer for this call; it was not run" })
    }
  }

  /**
   * Claude Code in its own process group, so a close ends it (and the commands it started) at
   * once: left to the SDK's graceful close it would go on with its turn, calling the model, for a while.
   */
  private spawn(o: SpawnOptions): SpawnedProcess {
    const tied = tiedToThisProcess(o.command, o.args)
    const stdio = tied.lifeline ? (['pipe', 'pipe', 'pipe', 'pipe'] as const) : (['pipe', 'pipe', 'pipe'] as const)
    const child = spawn(tied.command, tied.args, { cwd: o.cwd, env: o.env, stdio: [...stdio], detached: process.platform !== 'win32' })
    child.stderr?.on('data', (d: Buffer) => (this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-STDERR_TAIL)))
    child.on('error', () => undefined)
    this.child = child
    if (this.ended) this.kill()
    // Spawned with pipes: stdin and stdout are there.
    return child as SpawnedProcess
  }

  private kill(): void {
    const pid = this.child?.pid
    if (!pid || this.child?.exitCode !== null) return
    try {
      if (process.platform === 'win32') this.child.kill('SIGKILL')
      else process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }

  private async *promptStream(): AsyncGenerator<SDKUserMessage> {
    while (!this.ended) {
      const next = await this.prompts.shift(this.abort.signal).catch(() => null)
      if (!next) return
      yield next
    }
  }

  /** The next call Claude Code wants, or the end of its turn. */
  async next(signal: AbortSignal): Promise<SessionEvent> {
    const ev = await this.events.shift(signal)
    if (ev.kind === 'turn-ended') this.idle = true
    return ev
  }

  /** Send a user message (the task, feedback from verify, an operator's words). */
  say(text: string): void {
    const withContext = [...this.context.splice(0), text].join('\n\n')
    this.idle = false
    this.prompts.push({ type: 'user', message: { role: 'user', content: withContext }, parent_tool_use_id: null, origin: { kind: 'human' } } as SDKUserMessage)
  }

  /** Context for Claude (an operator's fact, a new subgoal): added to the next tool result or user message. */
  addContext(text: string): void {
    this.context.push(text)
  }

  /** Let a held call run with this input (the operator may have edited it); resolves when it finished. */
  allow(toolUseId: string, input: Record<string, unknown>): Promise<CallOutcome> {
    const outcome = new Deferred<CallOutcome>()
    this.outcomes.set(toolUseId, outcome)
    if (!this.answer(toolUseId, { permissionDecision: 'allow', updatedInput: input })) {
      this.outcomes.delete(toolUseId)
      return Promise.resolve({ ok: false, response: null, error: 'the call was no longer waiting (the session ended)' })
    }
    return outcome.promise
  }

  /** Refuse a held call: Claude sees the reason as the call's result. */
  deny(toolUseId: string, reason: string): boolean {
    const withContext = [reason, ...this.context.splice(0)].join('\n\n')
    return this.answer(toolUseId, { permissionDecision: 'deny', permissionDecisionReason: withContext })
  }

  isHeld(toolUseId: string): boolean {
    return this.gates.has(toolUseId)
  }

  close(): void {
    if (this.ended) return
    this.ended = true
    // Held calls get no answer: an answer would let Claude Code go on with its turn while it exits.
    this.gates.clear()
    this.kill()
    this.abort.abort()
    for (const o of this.outcomes.values()) o.resolve({ ok: false, response: null, error: 'the session was closed by Andon' })
    this.outcomes.clear()
  }

  private answer(toolUseId: string, out: { permissionDecision: 'allow' | 'deny'; permissionDecisionReason?: string; updatedInput?: Record<string, unknown> }): boolean {
    const gate = this.gates.get(toolUseId)
    if (!gate) return false
    this.gates.delete(toolUseId)
    gate.resolve({ hookSpecificOutput: { hookEventName: 'PreToolUse', ...out } })
    return true
  }

  private gate(input: { tool_name: string; tool_input: unknown; tool_use_id: string }): Promise<HookJSONOutput> {
    const gate = new Deferred<HookJSONOutput>()
    this.gates.set(input.tool_use_id, gate)
    const usage = this.pendingUsage
    this.turnAttributed = add(this.turnAttributed, usage)
    this.pendingUsage = zero()
    const call: HeldCall = {
      toolUseId: input.tool_use_id,
      tool: input.tool_name,
      input: (input.tool_input ?? {}) as Record<string, unknown>,
      text: this.text.splice(0).join('\n').trim(),
      usage,
      priorUuid: this.priorOf.get(input.tool_use_id) ?? this.tipUuid
    }
    this.events.push({ kind: 'call', call })
    return gate.promise
  }

  private async finished(toolUseId: string, outcome: CallOutcome, hookEventName: 'PostToolUse' | 'PostToolUseFailure'): Promise<HookJSONOutput> {
    this.outcomes.get(toolUseId)?.resolve(outcome)
    this.outcomes.delete(toolUseId)
    const additionalContext = this.context.splice(0).join('\n\n')
    return additionalContext ? { hookSpecificOutput: { hookEventName, additionalContext } } : {}
  }

  private async consume(stream: AsyncIterable<SDKMessage>): Promise<void> {
    let detail = 'Claude Code exited'
    try {
      for await (const m of stream) this.onMessage(m)
    } catch (err) {
      detail = `Claude Code stopped: ${(err as Error).message}`
    }
    const wasEnded = this.ended
    this.close()
    if (!wasEnded) this.events.push({ kind: 'ended', detail: this.withStderr(detail), usage: this.pendingUsage })
    this.pendingUsage = zero()
  }

  /** A reason Claude Code stopped, with the end of what it printed on stderr. */
  private withStderr(detail: string): string {
    const said = this.stderrTail.trim()
    return said ? `${detail}; it said: ${said}` : detail
  }

  private onMessage(m: SDKMessage): void {
    switch (m.type) {
      case 'system':
        if (m.subtype === 'init') {
          this.sessionId = m.session_id
          this.initialized = true
        }
        return
      case 'assistant': {
        const msg = m.message
        if (!this.messagePrior.has(msg.id)) {
          this.messagePrior.set(msg.id, this.tipUuid)
          this.pendingUsage = add(this.pendingUsage, msg.usage as TokenCounts)
        }
        for (const block of msg.content) {
          if (block.type === 'text' && m.parent_tool_use_id === null) this.text.push(block.text)
          if (block.type === 'tool_use') this.priorOf.set(block.id, this.messagePrior.get(msg.id) ?? null)
        }
        this.tipUuid = m.uuid
        return
      }
      case 'user':
        if (m.uuid) this.tipUuid = m.uuid
        return
      case 'result': {
        // The turn's own total corrects what the streamed messages under-counted (their output tokens).
        const rest = remainder(m.usage as TokenCounts, this.turnAttributed)
        this.turnAttributed = zero()
        this.pendingUsage = zero()
        const ok = m.subtype === 'success' && !m.is_error
        const text = this.text.splice(0).join('\n').trim() || (m.subtype === 'success' ? m.result : '')
        const why = m.subtype === 'success' ? `Claude Code's turn ended on an error: ${m.result}` : this.withStderr(`Claude Code stopped: ${m.subtype.replace(/_/g, ' ')}`)
        const detail = ok ? 'Claude Code ended its turn' : why
        this.events.push({ kind: 'turn-ended', ok, text, detail, usage: rest, tipUuid: this.tipUuid })
        return
      }
      default:
        return
    }
  }
}
