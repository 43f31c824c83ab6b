/**
 * A finished loop of many iterations written straight to a real core's store (no engine runs it),
 * for the tests and the bench that open big loops: four events per iteration, as a rules loop
 * records them, appended in large batches.
 */
import type { TraceStore } from '../../src/main/core/store/trace-store'
import type { LoopEventInput } from '../../src/shared/events'
import { LoopSpecSchema } from '../../src/shared/spec'

const BATCH_ITERATIONS = 500

function iteration(i: number): LoopEventInput[] {
  const action = { tool: 'read_file', args: { path: `notes/${i}.txt` } }
  return [
    { type: 'IterationStarted', data: { iteration: i } },
    { type: 'DecisionMade', data: { iteration: i, policy: 'rules', action, subgoal: `step ${i}`, confidence: 0.9, rationale: `because of step ${i}`, usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.001 }, latencyMs: 3 } },
    { type: 'Observed', data: { iteration: i, observation: { tool: 'read_file', ok: true, summary: `read ${i}` }, progress: true } },
    { type: 'InvariantChecked', data: { iteration: i, results: [{ name: 'progress', ok: true }] } }
  ]
}

/**
 * Write loop `loopId` with iterations from..n (from 1 unless given: a fork's first iteration is its
 * fork point), terminated (SUCCESS); returns its version.
 */
export async function writeBigLoop(store: TraceStore, loopId: string, n: number, from = 1): Promise<number> {
  const spec = LoopSpecSchema.parse({ name: loopId, task: 'a long history', policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] }, invariants: { maxIterations: 1_000_000 } })
  let version = 0
  const append = async (events: LoopEventInput[]) => {
    await store.append(loopId, events, version)
    version += events.length
  }
  await append([{ type: 'LoopCreated', data: { spec } }, { type: 'Started', data: {} }])
  for (let start = from; start <= n; start += BATCH_ITERATIONS) {
    const events: LoopEventInput[] = []
    for (let i = start; i < Math.min(n + 1, start + BATCH_ITERATIONS); i++) events.push(...iteration(i))
    await append(events)
  }
  await append([{ type: 'Terminated', data: { reason: 'SUCCESS', detail: 'written for a test', iteration: n } }])
  return version
}
