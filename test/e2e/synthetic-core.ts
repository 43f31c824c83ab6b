/**
 * A synthetic core for scale tests: thousands of loops and a loop with 100,000 iterations,
 * served through the real web shell. Only the commands the screens call are implemented.
 */
import type { Andon } from '../../src/main/core/andon'
import type { LoopSummary, PushMessage } from '../../src/shared/contract'
import type { StoredEvent } from '../../src/shared/events'
import { ITERATION_PAGE, type IterationRow } from '../../src/shared/iterations'
import type { LoopSpec } from '../../src/shared/spec'
import type { LoopState } from '../../src/shared/state'
import { initialState } from '../../src/shared/state'
import { summarize } from '../../src/shared/summary'

/** Versions per synthetic iteration: IterationStarted, DecisionMade, ToolOutput…, InvariantChecked. */
const PER_ITERATION = 300
export const HUGE_OUTPUT_ITERATION = 7
export const HUGE_OUTPUT_BYTES = 2 * 1024 * 1024
const CHUNK = 'x'.repeat(8191) + '\n'

const spec = {
  name: 'big-loop',
  task: 'synthetic',
  policy: { kind: 'rules', rules: [], delayMs: 0 },
  tools: [],
  invariants: { maxIterations: 1_000_000, progressEvery: 6, sameActionLimit: 3, toolErrorStreak: 4, confidenceFloor: 0, budget: {} },
  termination: { successTool: 'verify' },
  autonomy: 'autonomous',
  secrets: []
} as unknown as LoopSpec

function row(iteration: number): IterationRow {
  const first = (iteration - 1) * PER_ITERATION + 2
  return {
    iteration,
    startedAt: 0,
    finishedAt: 1,
    firstVersion: first,
    lastVersion: first + PER_ITERATION - 1,
    action: { tool: 'shell', args: { cmd: `step ${iteration}` } },
    subgoal: `subgoal ${iteration}`,
    confidence: 0.9,
    rationale: '',
    approval: 'auto',
    result: { ok: iteration % 7 !== 0, summary: `result ${iteration}`, exitCode: 0 },
    invariants: { checked: 6, failing: iteration % 7 === 0 ? ['progress'] : [] },
    inputTokens: 100,
    outputTokens: 20,
    costUsd: 0.001,
    latencyMs: 120,
    toolMs: 30,
    interrupted: false
  }
}

export function createSyntheticCore(opts: { loops: number; iterations: number }) {
  const listeners = new Set<(msg: PushMessage) => void>()
  const bigId = 'loop-big'
  const rows = Array.from({ length: opts.iterations }, (_, i) => row(i + 1))
  const state: LoopState = {
    ...initialState(bigId),
    spec,
    invariants: spec.invariants,
    status: 'running',
    iteration: opts.iterations,
    version: opts.iterations * PER_ITERATION + 1,
    createdAt: Date.now(),
    updatedAt: Date.now()
  }
  const summaries: LoopSummary[] = Array.from({ length: opts.loops }, (_, i) => ({
    ...summarize({ ...state, loopId: `loop-${i}`, iteration: i % 50, status: i % 3 === 0 ? 'terminated' : 'running' }),
    name: `loop number ${i}`,
    createdAt: i,
    terminationReason: i % 3 === 0 ? 'SUCCESS' : null
  }))
  summaries.push(summarize(state))

  function hugeOutput(afterVersion: number, limit: number): StoredEvent[] {
    const first = rows[HUGE_OUTPUT_ITERATION - 1].firstVersion
    const chunks = HUGE_OUTPUT_BYTES / CHUNK.length
    const out: StoredEvent[] = []
    // The huge iteration's output events are numbered just after its start; see iterationRange.
    for (let n = 0; n < chunks && out.length < limit; n++) {
      const version = first + 1 + n
      if (version <= afterVersion) continue
      out.push({ type: 'ToolOutput', data: { callId: 'c', stream: 'stdout', chunk: CHUNK }, loopId: bigId, version, seq: version, at: 0 })
    }
    return out
  }

  const span = () => ({ first: rows.length ? 1 : 0, last: rows.length })
  const andon = {
    handlers: {
      listSpecs: () => [],
      listInbox: () => [],
      listLoops: () => summaries,
      getLoop: ({ loopId }: { loopId: string }) => {
        if (loopId !== bigId) throw new Error(`unknown loop ${loopId}`)
        return { state, iterations: rows.slice(-ITERATION_PAGE), iterationSpan: span(), summary: summarize(state) }
      },
      getIterations: ({ fromIteration, toIteration, limit }: { fromIteration: number; toIteration: number; limit: number }) => ({
        rows: rows.slice(Math.max(0, fromIteration - 1), Math.min(toIteration, fromIteration - 1 + limit)),
        iterationSpan: span()
      }),
      getEvents: ({ afterVersion, limit }: { afterVersion: number; limit: number }) => {
        const events = hugeOutput(afterVersion, limit)
        return { events, next: events.length === limit ? events[events.length - 1].version : null }
      },
      stateAt: () => state
    },
    onPush(listener: (msg: PushMessage) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close: async () => undefined
  } as unknown as Andon

  /** Push the next iteration's start, as the engine would. */
  function pushIteration(): void {
    const iteration = state.iteration + 1
    const version = state.version + 1
    state.iteration = iteration
    state.version = version
    const event = { type: 'IterationStarted', data: { iteration }, loopId: bigId, version, seq: version, at: Date.now() } as StoredEvent
    rows.push({ ...row(iteration), firstVersion: version, lastVersion: version })
    for (const l of listeners) l({ kind: 'event', event, summary: summarize(state) })
  }

  return { andon, bigId, pushIteration }
}
