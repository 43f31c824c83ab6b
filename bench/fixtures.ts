/** What several bench sections build the same way: an engine iteration's events and a read_file rules loop. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LoopEventInput } from '../src/shared/events'
import { LoopSpecSchema, type LoopSpec } from '../src/shared/spec'

/** A loop spec for events written straight to the store (its policy never runs). */
export const storeOnlySpec = LoopSpecSchema.parse({ name: 'bench', task: 'bench', policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] } })

/** One iteration as the engine writes it (8 events), with a model cost so spend per day has something to add up. */
export function iterationEvents(i: number): LoopEventInput[] {
  const action = { tool: 'read_file', args: { path: 'a.txt' } }
  const callId = `c:${i}`
  return [
    { type: 'IterationStarted', data: { iteration: i } },
    { type: 'DecisionMade', data: { iteration: i, policy: 'rules', action, subgoal: 'read', confidence: 0.9, rationale: 'rule', usage: { inputTokens: 120, outputTokens: 40, costUsd: 0.0004 }, latencyMs: 2 } },
    { type: 'ActionProposed', data: { iteration: i, callId, action, risk: 'low', needsApproval: false } },
    { type: 'ToolStarted', data: { callId, tool: 'read_file', args: action.args, idempotencyKey: callId, idempotent: true } },
    { type: 'ToolOutput', data: { callId, stream: 'stdout', chunk: 'hello\n' } },
    { type: 'ToolFinished', data: { callId, ok: true, durationMs: 1 } },
    { type: 'Observed', data: { iteration: i, observation: { tool: 'read_file', ok: true, summary: 'read a.txt', excerpt: `hello ${i}` }, progress: true } },
    { type: 'InvariantChecked', data: { iteration: i, results: [{ name: 'progress', ok: true, detail: 'fine' }, { name: 'no-looping', ok: true }] } }
  ]
}

/** A rules loop reading `a.txt` from a template under `dir` until `iterations` (the stall checks off). */
export function readFileLoop(dir: string, name: string, iterations: number): LoopSpec {
  mkdirSync(join(dir, 'template'))
  writeFileSync(join(dir, 'template', 'a.txt'), 'hello\n')
  return LoopSpecSchema.parse({
    name,
    task: 'read forever',
    workspace: join(dir, 'template'),
    policy: { kind: 'rules', rules: [{ name: 'read', when: {}, then: { tool: 'read_file', args: { path: 'a.txt' } } }] },
    invariants: { maxIterations: iterations, sameActionLimit: 1_000_000, progressEvery: 1_000_000 }
  })
}
