import { describe, expect, it } from 'vitest'
import { LoopEventSchema, type StoredEvent } from '../../src/shared/events'
import { evolve, initialState, type LoopState } from '../../src/shared/state'
import { createReplayPolicy } from '../../src/main/core/policies/replay'
import { PolicyError } from '../../src/main/core/policies/policy'
import type { TraceStore } from '../../src/main/core/store/trace-store'
import { iterationEvents, sampleLoopEvents, sampleSpec, sampleSteps } from '../fixtures/bundles/sample-loop'
import type { LoopEventInput } from '../../src/shared/events'

/** Just enough of the store for the policy: streams held in memory. */
function memoryStore(streams: Record<string, LoopEventInput[]>): TraceStore {
  const stored: Record<string, StoredEvent[]> = {}
  for (const [loopId, inputs] of Object.entries(streams)) {
    stored[loopId] = inputs.map((e, i) => ({ ...LoopEventSchema.parse(e), loopId, version: i + 1, seq: i + 1, at: 1000 + i }) as StoredEvent)
  }
  return {
    streamVersion: (id: string) => stored[id]?.length ?? 0,
    *iterateStream(id: string, opts: { toVersion?: number } = {}) {
      for (const e of stored[id] ?? []) if (e.version <= (opts.toVersion ?? Infinity)) yield e
    }
  } as unknown as TraceStore
}

function stateAfter(loopId: string, events: LoopEventInput[]): LoopState {
  return events.reduce<LoopState>(
    (s, e, i) => evolve(s, { ...LoopEventSchema.parse(e), loopId, version: i + 1, at: 1000 + i }),
    initialState(loopId)
  )
}

const signal = new AbortController().signal
const replaySpec = { kind: 'replay' as const, sourceLoopId: 'src', delayMs: 0 }

function decideAt(store: TraceStore, iteration: number, live: LoopState) {
  const policy = createReplayPolicy(replaySpec, store)
  return policy.decide({ loopId: 'live', iteration, spec: live.spec, state: live, tools: [], signal })
}

describe('replay policy', () => {
  const source = sampleLoopEvents()
  const store = memoryStore({ src: source })

  it('returns the recorded decision of each iteration at no token cost', async () => {
    const live0 = stateAfter('live', [{ type: 'LoopCreated', data: { spec: sampleSpec } }])
    const d1 = await decideAt(store, 1, live0)
    expect(d1.action).toEqual({ tool: 'shell', args: { command: 'npm install' } })
    expect(d1.usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0 })
    expect(d1.prompt).toMatchObject({ replayOf: { loopId: 'src', recordedUsage: { inputTokens: 100, outputTokens: 20 } } })
    expect(d1.rawResponse).toMatchObject({ id: 'msg_1' })

    const live1 = stateAfter('live', [{ type: 'LoopCreated', data: { spec: sampleSpec } }, ...iterationEvents(sampleSteps[0])])
    const d2 = await decideAt(store, 2, live1)
    expect(d2.action.tool).toBe('verify')
    expect(d2.subgoal).toBe('step 2')
  })

  it('reports a divergence when the live observation differs from the recorded one', async () => {
    const failed = { ...sampleSteps[0], ok: false, exitCode: 1 }
    const live = stateAfter('live', [{ type: 'LoopCreated', data: { spec: sampleSpec } }, ...iterationEvents(failed)])
    const err = await decideAt(store, 2, live).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PolicyError)
    expect((err as PolicyError).kind).toBe('replay-divergence')
    expect((err as Error).message).toBe('diverged at iteration 2: expected shell succeeded (exit 0), got shell failed (exit 1)')
  })

  it('reports a divergence when the recording runs out', async () => {
    const live = stateAfter('live', [{ type: 'LoopCreated', data: { spec: sampleSpec } }])
    const err = await decideAt(store, 3, live).catch((e: unknown) => e)
    expect((err as PolicyError).kind).toBe('replay-divergence')
    expect((err as Error).message).toMatch(/^diverged at iteration 3: .*ends at iteration 2/)
  })

  it('reads decisions made before a fork point from the parent', async () => {
    const forkAt = 2 + iterationEvents(sampleSteps[0]).length
    const child: LoopEventInput[] = [
      {
        type: 'LoopCreated',
        data: {
          spec: sampleSpec,
          parentLoopId: 'src',
          forkedAtVersion: forkAt,
          // A fork starts from the parent's state at the fork point, as the supervisor records it.
          startState: { iteration: 1, lastObservation: stateAfter('src', source.slice(0, forkAt)).lastObservation }
        }
      },
      ...iterationEvents({ ...sampleSteps[1], args: { retry: true } })
    ]
    const s = memoryStore({ src: source, child })
    const policy = createReplayPolicy({ ...replaySpec, sourceLoopId: 'child' }, s)
    const live0 = stateAfter('live', [{ type: 'LoopCreated', data: { spec: sampleSpec } }])
    expect((await policy.decide({ loopId: 'live', iteration: 1, spec: sampleSpec as never, state: live0, tools: [], signal })).action.tool).toBe('shell')
    const live1 = stateAfter('live', [{ type: 'LoopCreated', data: { spec: sampleSpec } }, ...iterationEvents(sampleSteps[0])])
    const d2 = await policy.decide({ loopId: 'live', iteration: 2, spec: sampleSpec as never, state: live1, tools: [], signal })
    expect(d2.action.args).toEqual({ retry: true })
  })

  it('refuses a source loop that does not exist', () => {
    expect(() => createReplayPolicy({ ...replaySpec, sourceLoopId: 'ghost' }, store)).toThrow(/replay source loop ghost does not exist/)
  })
})
