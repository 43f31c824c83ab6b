/**
 * What Andon's supervision costs per Claude Code tool call. Each round runs the same Claude Code
 * binary through the same scripted conversation (K reads of small files, then an end of turn) three
 * times, in alternating order (even rounds reference first, odd rounds Andon first):
 * - reference: the Agent SDK's `query()` driven directly, with a PreToolUse hook that allows at once;
 * - the same plus the PostToolUse hooks Andon registers, answering at once (the hook wiring alone);
 * - Andon: a `claude-code` loop (autonomous, verify `true`): each call waits in the hook until Andon
 *   has recorded the decision, gated it and recorded the tool start.
 * Per-call latency is measured from outside: the gap between consecutive agent requests reaching
 * the scripted server (model answer → hook → tool → next request), paired by call index with the
 * reference's gap in the same round. The server runs in its own process (./claude-code-server), so
 * Andon's synchronous commits on this process's event loop cannot delay the "model".
 * `--quick` (CI): 8 calls, 3 rounds, one warm-up session, and no hooks-only session (it only splits
 * the added time). */
import type { HookJSONOutput, SDKMessage, SDKUserMessage } from '@anthropic-ai/claude-agent-sdk'
import { fork, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findClaudeCode, loadSdk } from '../src/main/core/policies/claude-code/installation'
import { sessionEnv } from '../src/main/core/policies/claude-code/session-env'
import type { StoredEvent } from '../src/shared/events'
import { ClaudeCodePolicySpec, LoopSpecSchema } from '../src/shared/spec'
import { claudeCodeEnv } from '../test/support/claude-code'
import type { ScriptedServer } from '../test/support/scripted-server'
import { tempAndon } from '../test/support/temp-andon'
import type { FromServer, ToServer } from './claude-code-server'
import { expectRatio, median, ms, QUICK, quantile, ratioRow, ROUNDS, row, section, skipSection, spreadRow } from './harness'

const CALLS = QUICK ? 8 : 12
const MODEL = 'claude-sonnet-4-5'
const TASK = `Read the files f0.txt to f${CALLS - 1}.txt, one at a time.`
const SESSION_TIMEOUT_MS = 60_000

type Sdk = Awaited<ReturnType<typeof loadSdk>>

/** One session as seen from outside: agent request arrivals (epoch ms) and the wall time. */
interface SessionRun {
  startedAt: number
  arrivals: number[]
  /** Agent requests outside the script (a retry, a background request): answered with text, not measured. */
  extras: string[]
  wallMs: number
  /** Epoch ms at which each call reached the gate (reference: its hook ran; Andon: DecisionMade committed). */
  gateAt: number[]
  /** Andon only: ToolStarted / ToolFinished commit times per call. */
  toolStartedAt: number[]
  toolFinishedAt: number[]
}

const epochNow = () => performance.timeOrigin + performance.now()
const noAnswer = async (): Promise<HookJSONOutput> => ({})

/** The scripted server process, with a request/answer helper over IPC. */
class ServerProcess {
  private waiting: ((m: FromServer) => void) | null = null
  private constructor(
    private readonly child: ChildProcess,
    readonly anthropicBaseUrl: string
  ) {
    child.on('message', (m: FromServer) => {
      const w = this.waiting
      this.waiting = null
      w?.(m)
    })
  }

  static async start(): Promise<ServerProcess> {
    const child = fork(fileURLToPath(new URL('./claude-code-server.ts', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const ready = await new Promise<FromServer>((resolve, reject) => {
      child.once('message', resolve)
      child.once('exit', (code) => reject(new Error(`the scripted server exited (${code})`)))
    })
    if (ready.type !== 'ready') throw new Error('the scripted server did not start')
    return new ServerProcess(child, ready.anthropicBaseUrl)
  }

  ask(m: ToServer): Promise<FromServer> {
    return new Promise((resolve) => {
      this.waiting = resolve
      this.child.send(m)
    })
  }

  async arrivals(): Promise<{ arrivals: number[]; extras: string[] }> {
    const m = await this.ask({ type: 'stamps' })
    if (m.type !== 'stamps') throw new Error('unexpected answer from the scripted server')
    const missing = m.agent.flatMap((at, n) => (at === null ? [n] : []))
    if (missing.length) throw new Error(`agent requests ${missing.join(', ')} never reached the scripted server (outside the script: ${m.extras.join('; ') || 'none'})`)
    return { arrivals: m.agent as number[], extras: m.extras }
  }

  stop(): void {
    this.child.disconnect()
  }
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${SESSION_TIMEOUT_MS / 1000} s`)), SESSION_TIMEOUT_MS)))
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

function writeFiles(dir: string): void {
  mkdirSync(dir, { recursive: true })
  for (let i = 0; i < CALLS; i++) writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n`)
}

/** Claude Code's environment as the integration tests build it (a fresh private HOME each time). */
function claudeEnv(server: ServerProcess): Record<string, string> {
  // claudeCodeEnv reads only the server's base URL.
  return claudeCodeEnv({ anthropicBaseUrl: server.anthropicBaseUrl } as ScriptedServer)
}

/**
 * The reference: the SDK directly, a PreToolUse hook that allows every call at once. With
 * `postHooks`, also the PostToolUse / PostToolUseFailure hooks Andon registers, answering at once:
 * the hook round trips Andon's wiring costs, apart from anything Andon records.
 */
async function referenceSession(sdk: Sdk, server: ServerProcess, executable: string | null, dir: string, postHooks: boolean): Promise<SessionRun> {
  const workspace = join(dir, 'workspace')
  writeFiles(workspace)
  const env = claudeEnv(server)
  const gateAt: number[] = []
  let endTurn!: () => void
  const turnEnded = new Promise<void>((resolve) => (endTurn = resolve))
  async function* prompt(): AsyncGenerator<SDKUserMessage> {
    yield { type: 'user', message: { role: 'user', content: TASK }, parent_tool_use_id: null, origin: { kind: 'human' } } as SDKUserMessage
    await turnEnded
  }
  const allow = async (input: { tool_input: unknown }): Promise<HookJSONOutput> => {
    gateAt.push(epochNow())
    return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', updatedInput: input.tool_input as Record<string, unknown> } }
  }
  const abort = new AbortController()
  try {
    const startedAt = epochNow()
    const t0 = performance.now()
    let wallMs = 0
    let result: SDKMessage | null = null
    const stream = sdk.query({
      prompt: prompt(),
      options: {
        cwd: workspace,
        model: MODEL,
        env: sessionEnv(env, []),
        ...(executable ? { pathToClaudeCodeExecutable: executable } : {}),
        settingSources: [],
        permissionMode: 'default',
        abortController: abort,
        hooks: {
          PreToolUse: [{ hooks: [allow as never] }],
          ...(postHooks ? { PostToolUse: [{ hooks: [noAnswer] }], PostToolUseFailure: [{ hooks: [noAnswer] }] } : {})
        }
      }
    })
    await withTimeout(
      (async () => {
        for await (const m of stream) {
          if (m.type === 'result') {
            wallMs = performance.now() - t0
            result = m
            endTurn()
          }
        }
      })(),
      'a reference session'
    )
    const r = result as SDKMessage | null
    if (r?.type !== 'result' || r.subtype !== 'success') throw new Error(`the reference session did not succeed: ${JSON.stringify(r)?.slice(0, 300)}`)
    if (gateAt.length !== CALLS) throw new Error(`the reference hook ran ${gateAt.length} times, expected ${CALLS}`)
    return { startedAt, ...(await server.arrivals()), wallMs, gateAt, toolStartedAt: [], toolFinishedAt: [] }
  } finally {
    abort.abort()
    endTurn()
    rmSync(env.HOME, { recursive: true, force: true })
  }
}

/** The same conversation as an Andon `claude-code` loop, from launch to its end (verify passed). */
async function andonSession(server: ServerProcess, dir: string): Promise<SessionRun> {
  const template = join(dir, 'template')
  writeFiles(template)
  const env = claudeEnv(server)
  const andon = await tempAndon({ dataDir: join(dir, 'data'), env })
  try {
    const spec = LoopSpecSchema.parse({
      name: 'bench-claude-code',
      task: TASK,
      workspace: template,
      policy: { kind: 'claude-code', model: MODEL },
      tools: [{ name: 'verify' }],
      autonomy: 'autonomous',
      // K reads in a row are the script, not a stalled or looping agent.
      invariants: { maxIterations: CALLS + 5, sameActionLimit: 1_000_000, progressEvery: 1_000_000 },
      termination: { verifyCommand: 'true' }
    })
    const startedAt = epochNow()
    const t0 = performance.now()
    const loopId = await andon.supervisor.launch(spec)
    await withTimeout(andon.supervisor.settled(loopId), 'an Andon session')
    const wallMs = performance.now() - t0
    const state = andon.supervisor.liveState(loopId)
    if (state.termination?.reason !== 'SUCCESS') throw new Error(`the Andon loop ended ${state.status}: ${JSON.stringify(state.termination)}`)
    const events = andon.store.readStream(loopId)
    const tools = events.flatMap((e) => (e.type === 'DecisionMade' ? [e.data.action.tool] : []))
    const expected = [...Array<string>(CALLS).fill('Read'), 'verify']
    if (tools.join() !== expected.join()) throw new Error(`the Andon loop decided ${tools.join()}, expected ${expected.join()}`)
    const at = (type: StoredEvent['type']) => events.filter((e) => e.type === type).map((e) => e.at)
    return {
      startedAt,
      ...(await server.arrivals()),
      wallMs,
      gateAt: at('DecisionMade').slice(0, CALLS),
      toolStartedAt: at('ToolStarted').slice(0, CALLS),
      toolFinishedAt: at('ToolFinished').slice(0, CALLS)
    }
  } finally {
    await andon.cleanup()
    rmSync(env.HOME, { recursive: true, force: true })
  }
}

/** Run one session of either kind in a fresh temp dir, after scripting the server. */
async function session(server: ServerProcess, run: (dir: string) => Promise<SessionRun>): Promise<SessionRun> {
  await server.ask({ type: 'script', calls: CALLS })
  const dir = mkdtempSync(join(tmpdir(), 'andon-bench-cc-'))
  try {
    return await run(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
    // Let the session's Claude Code process finish exiting before the next one starts.
    await new Promise((r) => setTimeout(r, 300))
  }
}

/** Gap i: call i's answer leaving the model → call i+1 (or the end of turn) being asked for. */
const gaps = (s: SessionRun) => s.arrivals.slice(1).map((a, i) => a - s.arrivals[i])

export async function claudeCodeBenchmarks(): Promise<void> {
  section(`Claude Code under Andon: ${CALLS} Read calls + end of turn, paired with the SDK alone (${ROUNDS} rounds, order alternating)`)
  console.log(
    QUICK
      ? 'sessions: SDK alone (PreToolUse allows at once) · an Andon claude-code loop (--quick leaves out the SDK + hooks session)'
      : 'sessions: SDK alone (PreToolUse allows at once) · SDK + the PostToolUse hooks Andon adds (answering at once) · an Andon claude-code loop'
  )
  const found = findClaudeCode(ClaudeCodePolicySpec.parse({ kind: 'claude-code' }), process.env)
  if (typeof found === 'string') {
    skipSection(found)
    return
  }
  const sdk = await loadSdk()
  const server = await ServerProcess.start()
  const ref: SessionRun[] = []
  const hooked: SessionRun[] = []
  const andon: SessionRun[] = []
  const kinds = [
    { runs: ref, run: (dir: string) => referenceSession(sdk, server, found.executable, dir, false) },
    ...(QUICK ? [] : [{ runs: hooked, run: (dir: string) => referenceSession(sdk, server, found.executable, dir, true) }]),
    { runs: andon, run: (dir: string) => andonSession(server, dir) }
  ]
  try {
    // One unreported session of each first (--quick: of the SDK alone): the binary's first start
    // reads its ~370 MB from disk.
    for (const k of QUICK ? kinds.slice(0, 1) : kinds) await session(server, k.run)
    for (let r = 0; r < ROUNDS; r++) {
      // Even rounds reference first, odd rounds Andon first.
      for (const k of r % 2 === 0 ? kinds : [...kinds].reverse()) k.runs.push(await session(server, k.run))
    }
  } finally {
    server.stop()
  }

  const paired = (a: SessionRun, b: SessionRun) => gaps(a).map((g, k) => g - gaps(b)[k])
  const rounds = ref.map((rs, i) => ({ ref: rs, andon: andon[i], added: paired(andon[i], rs) }))
  const per = (f: (r: (typeof rounds)[number]) => number) => rounds.map(f)
  console.log("gap: an agent request reaching the server → the next one (answer streamed, hook, Read, next request); added: Andon's gap − the reference's, same call, same round")
  row('', 'median over rounds', 'min, max over rounds')
  spreadRow('gap per call, reference (p50 of the round)', per((r) => median(gaps(r.ref))), ms)
  spreadRow('gap per call, Andon (p50 of the round)', per((r) => median(gaps(r.andon))), ms)
  spreadRow('added per call, paired by call index: p50', per((r) => median(r.added)), ms)
  spreadRow('added per call, paired by call index: p95', per((r) => quantile(r.added, 0.95)), ms)
  const pooled = rounds.flatMap((r) => r.added)
  row(`added per call, pooled over ${ROUNDS} rounds (${pooled.length} pairs): p50 / p95`, `${ms(median(pooled))} / ${ms(quantile(pooled, 0.95))}`)
  if (hooked.length) {
    spreadRow('  of which PostToolUse hooks: (SDK + hooks) − SDK, p50', hooked.map((h, i) => median(paired(h, ref[i]))), ms)
    spreadRow('  of which the rest: Andon − (SDK + hooks), p50', hooked.map((h, i) => median(paired(andon[i], h))), ms)
  }
  // Ratios are the reference's time over Andon's: Andon's speed as a fraction of the SDK's alone.
  const gapRatios = per((r) => median(gaps(r.ref)) / median(gaps(r.andon)))
  ratioRow("per-call gap, SDK alone / Andon (p50s): Andon's speed", gapRatios)
  // Target 0.75 (Andon adds at most a third to a call's gap, as measured on a quiet core); factor 2
  // for a shared 2-core machine, where a Claude Code session's gaps swing most.
  expectRatio('Claude Code call through Andon, per-call gap vs the SDK alone', gapRatios, 0.75 / 2)
  spreadRow('whole session, reference (start → end of turn)', per((r) => r.ref.wallMs), ms)
  spreadRow('whole session, Andon (launch → SUCCESS)', per((r) => r.andon.wallMs), ms)
  ratioRow("whole session, SDK alone / Andon: Andon's speed", per((r) => r.ref.wallMs / r.andon.wallMs))
  spreadRow('  of which start → first agent request, added', per((r) => r.andon.arrivals[0] - r.andon.startedAt - (r.ref.arrivals[0] - r.ref.startedAt)), ms)
  spreadRow(`  of which the ${CALLS} gaps, added`, per((r) => r.added.reduce((a, b) => a + b, 0)), ms)
  spreadRow('  of which end of turn asked → end, added', per((r) => r.andon.startedAt + r.andon.wallMs - r.andon.arrivals[CALLS] - (r.ref.startedAt + r.ref.wallMs - r.ref.arrivals[CALLS])), ms)

  // Where a call's time goes: per round the median over its calls. Andon's marks are the store's
  // commit stamps (whole milliseconds); the reference's is its hook being called.
  const step = (name: string, runs: SessionRun[], f: (s: SessionRun, i: number) => number) =>
    spreadRow(name, runs.map((s) => median(Array.from({ length: CALLS }, (_, i) => f(s, i)))), ms)
  console.log('where a call goes (per round the p50 over its calls; Andon marks are commit times, whole ms):')
  step('  reference: agent request → hook called', ref, (s, i) => s.gateAt[i] - s.arrivals[i])
  step('  reference: hook called → next request', ref, (s, i) => s.arrivals[i + 1] - s.gateAt[i])
  step('  Andon: agent request → DecisionMade committed', andon, (s, i) => s.gateAt[i] - s.arrivals[i])
  step('  Andon: DecisionMade → ToolStarted committed (gate)', andon, (s, i) => s.toolStartedAt[i] - s.gateAt[i])
  step('  Andon: ToolStarted → ToolFinished committed (the Read)', andon, (s, i) => s.toolFinishedAt[i] - s.toolStartedAt[i])
  step('  Andon: ToolFinished → next request', andon, (s, i) => s.arrivals[i + 1] - s.toolFinishedAt[i])
  const extras = [...ref, ...hooked, ...andon].flatMap((s) => s.extras)
  if (extras.length) console.log(`agent requests outside the script (answered with text, not measured): ${extras.length}: ${[...new Set(extras)].join('; ')}`)
}
