/**
 * What a spec's own tools and guardrails cost, with the real core (a fresh one on a temp data dir
 * per loop). Each comparison runs a short loop of each kind once unreported (the CEL worker starts,
 * programs are read from disk), then ROUNDS rounds in alternating order (even rounds the reference
 * first); each figure is per round, paired, printed as the median over rounds with min and max.
 * Ratios are the reference's time over the other's: the other's speed as a fraction of the reference's.
 * `--quick` (CI): 60 iterations and 8 calls per loop, 3 rounds.
 * 1. CEL invariants: a rules loop of in-process read_file calls with 5 invariants of the spec's own,
 *    against the same loop without them.
 * 2. A command tool against run_command running the same node program: each call starts a process
 *    in the sandbox.
 * 3. An MCP tool (the notes test server over stdio, started once per loop) against a command tool
 *    (`cat`) reading the same file.
 * A call's time is the tool's own, as recorded: ToolFinished.durationMs (monotonic, whole ms).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAndon } from '../src/main/core/create-andon'
import type { StoredEvent } from '../src/shared/events'
import { LoopSpecSchema, type Action, type CommandToolConfig, type LoopSpecInput } from '../src/shared/spec'
import { expectRatio, fmt, median, ms, QUICK, quantile, ROUNDS, row, section, spreadRow, times } from './harness'

const ITER = QUICK ? 60 : 150
const CALLS = QUICK ? 8 : 20
/** Iterations or calls of the unreported warm-up loop of each kind. */
const WARM_UP = 3
const NOTES_SERVER = fileURLToPath(new URL('../test/support/mcp-server.mjs', import.meta.url))

const INVARIANTS = [
  { name: 'no-migrations', when: 'before-call', expr: '!has(call.args.path) || !call.args.path.startsWith("migrations/")' },
  { name: 'low-risk-only', when: 'before-call', expr: 'call.risk == "low" || call.tool == "verify"' },
  { name: 'few-errors', when: 'after-iteration', expr: 'state.errorStreak < 10' },
  { name: 'small-facts', when: 'after-iteration', expr: 'state.facts.all(f, size(f) < 4000)' },
  { name: 'reads-answer', when: 'after-iteration', expr: 'observation.tool != "read_file" || (observation.ok && size(observation.excerpt) < 100000)' }
] as const

/** A node program printing its first argument: as a command tool, and as run_command's command line. */
const PRINT = 'console.log(process.argv[1])'
const printTool: CommandToolConfig = { name: 'print', command: process.execPath, args: ['-e', PRINT, '{{text}}'], input: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }, stdin: 'none', risk: 'low' }
const catTool: CommandToolConfig = { name: 'cat', command: 'cat', args: ['{{name}}'], input: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }, stdin: 'none', risk: 'low' }

interface Run {
  wallMs: number
  events: StoredEvent[]
}

/** A rules loop making `action` `n` times, every call succeeding; its wall time (launch → end) and events. */
async function runLoop(n: number, action: Action, over: Partial<LoopSpecInput> = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'andon-bench-spec-'))
  const andon = await createAndon({ dataDir: join(dir, 'data'), env: {} })
  try {
    mkdirSync(join(dir, 'template'))
    writeFileSync(join(dir, 'template', 'a.txt'), 'hello\n')
    const spec = LoopSpecSchema.parse({
      name: 'bench-spec-tools',
      task: 'call one tool again and again',
      workspace: join(dir, 'template'),
      autonomy: 'autonomous',
      policy: { kind: 'rules', rules: [{ name: 'call', when: {}, then: action }] },
      ...over,
      invariants: { maxIterations: n, sameActionLimit: 1_000_000, progressEvery: 1_000_000, ...over.invariants }
    })
    const t0 = performance.now()
    const loopId = await andon.supervisor.launch(spec)
    await andon.supervisor.settled(loopId)
    const wallMs = performance.now() - t0
    const state = andon.supervisor.liveState(loopId)
    const events = andon.store.readStream(loopId)
    const failed = events.flatMap((e) => (e.type === 'ToolFinished' && !e.data.ok ? [e.data.error] : []))
    if (state.termination?.reason !== 'MAX_ITERATIONS' || state.iteration !== n || failed.length > 0) {
      throw new Error(`the ${action.tool} loop ended ${state.status} at iteration ${state.iteration} (${JSON.stringify(state.termination ?? state.escalation?.summary)}); failed calls: ${failed.length} ${failed[0] ?? ''}`)
    }
    return { wallMs, events }
  } finally {
    await andon.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Each kind once unreported (a WARM_UP-long loop), then ROUNDS rounds of `n`-long loops, the order
 * alternating (even rounds as listed).
 */
async function pairedRounds<K extends string>(n: number, kinds: Record<K, (n: number) => Promise<Run>>): Promise<Record<K, Run>[]> {
  const order = Object.keys(kinds) as K[]
  for (const k of order) await kinds[k](WARM_UP)
  const rounds: Record<K, Run>[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const round = {} as Record<K, Run>
    for (const k of r % 2 === 0 ? order : [...order].reverse()) round[k] = await kinds[k](n)
    rounds.push(round)
  }
  return rounds
}

/** Each call's own time (ToolFinished.durationMs), the first call left out (a fresh server's or program's first). */
const callMs = (run: Run) => run.events.flatMap((e) => (e.type === 'ToolFinished' ? [e.data.durationMs] : [])).slice(1)
/** Launch (LoopCreated) → the first call started (ToolStarted): wall ms. */
const toFirstCall = (run: Run) => run.events.find((e) => e.type === 'ToolStarted')!.at - run.events[0].at
const perSecond = (n: number) => `${fmt(Math.round(n))} iterations/s`
const ms2 = (n: number) => `${n.toFixed(2)} ms`
const ratio = (n: number) => (n >= 10 ? `${n.toFixed(1)}×` : times(n))
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/**
 * Per call p50 and p95 of the reference and the other kind; per round, the reference's per-call
 * time over the other's (the other's speed as a fraction of the reference's), returned for a check.
 * The ratio divides means: durations are whole ms, and a mean over a loop's calls resolves a call
 * below 1 ms where a median cannot (a mean of 0, every call under half a millisecond, counts as 0.5 ms).
 */
function callRows<K extends string>(rounds: Record<K, Run>[], ref: K, other: K, names: Record<K, string>): number[] {
  for (const k of [ref, other]) {
    const name = k === ref ? `${names[k]} (reference)` : names[k]
    spreadRow(`${name}, per call p50`, rounds.map((r) => median(callMs(r[k]))), ms)
    spreadRow(`${name}, per call p95`, rounds.map((r) => quantile(callMs(r[k]), 0.95)), ms)
  }
  const ratios = rounds.map((r) => mean(callMs(r[ref])) / Math.max(0.5, mean(callMs(r[other]))))
  spreadRow(`${names[ref]} / ${names[other]}, mean per call`, ratios, ratio)
  return ratios
}

export async function specToolsBenchmarks(): Promise<void> {
  const read: Action = { tool: 'read_file', args: { path: 'a.txt' } }
  section(`CEL invariants of the spec's own: a read_file rules loop, ${ITER} iterations, ${INVARIANTS.length} invariants vs none (${ROUNDS} rounds, order alternating)`)
  const cel = await pairedRounds(ITER, {
    none: (n) => runLoop(n, read),
    cel: async (n) => {
      const run = await runLoop(n, read, { invariants: { custom: [...INVARIANTS] } })
      const checked = run.events.flatMap((e) => (e.type === 'InvariantChecked' ? e.data.results : [])).filter((r) => INVARIANTS.some((i) => i.name === r.name))
      if (checked.length !== n * INVARIANTS.length) throw new Error(`expected ${n * INVARIANTS.length} checks of the spec's invariants, got ${checked.length}`)
      return run
    }
  })
  const itPerS = (run: Run) => (ITER / run.wallMs) * 1000
  row('', 'median over rounds', 'min, max over rounds')
  spreadRow('without invariants (reference)', cel.map((r) => itPerS(r.none)), perSecond)
  spreadRow('with 2 before-call + 3 after-iteration invariants', cel.map((r) => itPerS(r.cel)), perSecond)
  const celRatios = cel.map((r) => r.none.wallMs / r.cel.wallMs)
  spreadRow('without / with (wall time): the speed with invariants', celRatios, times)
  // Measured 0.73 once a bare iteration became one durable commit (about 3× faster, so the invariants'
  // fixed ~1 ms weighs more; 0.87 before); factor 1.5 for a shared machine.
  expectRatio('5 CEL invariants vs none, rules loop iterations', celRatios, 0.73 / 1.5)
  spreadRow('added per iteration', cel.map((r) => (r.cel.wallMs - r.none.wallMs) / ITER), ms2)

  section(`A command tool vs run_command, the same \`node -e\` program, ${CALLS} calls per loop, each a sandboxed process (${ROUNDS} rounds)`)
  const commands = await pairedRounds(CALLS, {
    runCommand: (n) => runLoop(n, { tool: 'run_command', args: { command: `${process.execPath} -e '${PRINT}' hello` } }),
    tool: (n) => runLoop(n, { tool: 'print', args: { text: 'hello' } }, { tools: [printTool] })
  })
  console.log(`per call: ToolFinished.durationMs (whole ms) of calls 2–${CALLS} of each loop`)
  row('', 'median over rounds', 'min, max over rounds')
  const toolRatios = callRows(commands, 'runCommand', 'tool', { runCommand: 'run_command', tool: 'command tool' })
  // Target 1.0 (the same sandboxed program either way); factor 1.5 for a shared machine.
  expectRatio('command tool vs run_command, per call', toolRatios, 1 / 1.5)

  section(`An MCP tool call vs a command tool doing the same read, ${CALLS} calls per loop (${ROUNDS} rounds)`)
  const mcp = await pairedRounds(CALLS, {
    cat: (n) => runLoop(n, { tool: 'cat', args: { name: 'a.txt' } }, { tools: [catTool] }),
    mcp: (n) =>
      runLoop(n, { tool: 'mcp__notes__read_note', args: { name: 'a.txt' } }, { mcp: [{ name: 'notes', command: process.execPath, args: [NOTES_SERVER, 'andon-bench-notes'] }] })
  })
  console.log(`per call: ToolFinished.durationMs of calls 2–${CALLS} (the MCP server is up throughout); server start: launch → first ToolStarted, minus the command-tool loop's`)
  row('', 'median over rounds', 'min, max over rounds')
  const mcpRatios = callRows(mcp, 'cat', 'mcp', { cat: 'command tool `cat`', mcp: 'MCP read_note' })
  // Target 15× (a call to a running server against a sandboxed process start; 17–33× measured);
  // factor 2 for a shared machine: fails if MCP calls started paying for a process or a handshake.
  expectRatio('MCP call vs a command tool, per call', mcpRatios, 15 / 2)
  spreadRow('launch → first call, command-tool loop', mcp.map((r) => toFirstCall(r.cat)), ms)
  spreadRow('launch → first call, MCP loop', mcp.map((r) => toFirstCall(r.mcp)), ms)
  spreadRow('MCP server start, once per loop (the difference)', mcp.map((r) => toFirstCall(r.mcp) - toFirstCall(r.cat)), ms)
}
