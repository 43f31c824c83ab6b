import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LoopEventInput } from '../../src/shared/events'
import { LoopSpecSchema } from '../../src/shared/spec'
import { fold } from '../../src/shared/state'
import { ConcurrencyError, TraceStore } from '../../src/main/core/store/trace-store'
import { tempDir } from '../support/temp-andon'

const spec = LoopSpecSchema.parse({ name: 'store-test', task: 't', policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] } })
const created: LoopEventInput = { type: 'LoopCreated', data: { spec } }
const iteration = (i: number): LoopEventInput[] => [
  { type: 'IterationStarted', data: { iteration: i } },
  {
    type: 'DecisionMade',
    data: { iteration: i, policy: 'rules', action: { tool: 'verify', args: {} }, confidence: 0.5, usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.001 }, latencyMs: 3 }
  },
  { type: 'InvariantChecked', data: { iteration: i, results: [{ name: 'progress', ok: i % 2 === 0 }] } }
]

describe('trace store (real SQLite file)', () => {
  let dir: string
  let store: TraceStore
  beforeEach(() => {
    dir = tempDir()
    store = new TraceStore({ path: join(dir, 'andon.db'), snapshotEvery: 10 })
  })
  afterEach(() => {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('appends in order with per-loop versions and survives reopening', async () => {
    await store.append('a', [created], 0)
    await store.append('a', iteration(1), 1)
    const events = store.readStream('a')
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4])
    expect(events.map((e) => e.type)).toEqual(['LoopCreated', 'IterationStarted', 'DecisionMade', 'InvariantChecked'])
    store.close()
    store = new TraceStore({ path: join(dir, 'andon.db') })
    expect(store.readStream('a')).toEqual(events)
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2) // FULL
  })

  it('rejects a stale expected version and records nothing from it', async () => {
    await store.append('a', [created], 0)
    await expect(store.append('a', iteration(1), 0)).rejects.toBeInstanceOf(ConcurrencyError)
    expect(() => store.appendSync('a', iteration(1), 5)).toThrow(/expected version 5, stream is at 1/)
    expect(store.streamVersion('a')).toBe(1)
  })

  it('rejects an invalid event and commits nothing of its batch', async () => {
    await store.append('a', [created], 0)
    const bad = [{ type: 'IterationStarted', data: { iteration: 2 } }, { type: 'IterationStarted', data: { iteration: -1 } }] as LoopEventInput[]
    await expect(store.append('a', bad, 1)).rejects.toThrow()
    expect(store.streamVersion('a')).toBe(1)
    await store.append('a', iteration(1), 1)
    expect(store.streamVersion('a')).toBe(4)
  })

  it('commits appends issued together in one transaction, each loop in order', async () => {
    await Promise.all(['a', 'b', 'c'].map((id) => store.append(id, [created], 0)))
    const all = await Promise.all(
      ['a', 'b', 'c'].flatMap((id) => [store.append(id, iteration(1), 1), store.append(id, iteration(2), 4)])
    )
    expect(all.flat()).toHaveLength(18)
    for (const id of ['a', 'b', 'c']) expect(store.readStream(id).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7])
    const seqs = store.readAll().map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y))
  })

  it('refuses to update or delete a recorded event', async () => {
    await store.append('a', [created], 0)
    expect(() => store.db.prepare("UPDATE events SET type = 'X'").run()).toThrow(/append-only/)
    expect(() => store.db.prepare('DELETE FROM events').run()).toThrow(/append-only/)
  })

  it('folds from snapshots to the same state as a full fold, at any version', async () => {
    await store.append('a', [created], 0)
    for (let i = 1; i <= 20; i++) await store.append('a', iteration(i), 1 + (i - 1) * 3)
    expect((store.db.prepare('SELECT count(*) n FROM snapshots').get() as { n: number }).n).toBeGreaterThan(0)
    const events = store.readStream('a')
    for (const v of [1, 9, 10, 11, 35, 61]) {
      expect(store.loadState('a', v)).toEqual(fold('a', events.filter((e) => e.version <= v)))
    }
    expect(store.loadState('a').usage.inputTokens).toBe(200)
  })

  it('rebuilds projections identical to the incrementally maintained ones', async () => {
    await store.append('a', [created], 0)
    await store.append('b', [created], 0)
    for (let i = 1; i <= 5; i++) await store.append('a', iteration(i), 1 + (i - 1) * 3)
    const loops = store.listLoops()
    const rows = store.iterationRows('a')
    expect(rows.map((r) => r.iteration)).toEqual([1, 2, 3, 4, 5])
    expect(rows[0].invariants?.failing).toEqual(['progress'])
    store.rebuildProjections()
    expect(store.listLoops()).toEqual(loops)
    expect(store.iterationRows('a')).toEqual(rows)
  })

  it('lists a loop at its newest version and time after output chunks alone, as a rebuilt list does', async () => {
    let now = 1_000
    const path = join(dir, 'clocked.db')
    const clocked = new TraceStore({ path, clock: () => now })
    await clocked.append('a', [created], 0)
    await clocked.append('a', iteration(1), 1)
    now = 5_000
    const chunk = (c: string): LoopEventInput => ({ type: 'ToolOutput', data: { callId: 'c1', stream: 'stdout', chunk: c } })
    await clocked.append('a', [chunk('one\n')], 4)
    now = 7_000
    await clocked.append('a', [chunk('two\n')], 5)
    const listed = clocked.listLoops()
    expect(listed).toMatchObject([{ loopId: 'a', version: 6, updatedAt: 7_000, iteration: 1, createdAt: 1_000 }])
    clocked.close()
    // Another process reading the same file lists the same, and so does a list rebuilt from the events.
    const reopened = new TraceStore({ path })
    expect(reopened.listLoops()).toEqual(listed)
    reopened.rebuildProjections()
    expect(reopened.listLoops()).toEqual(listed)
    reopened.close()
  })

  it('refuses a database written by a newer Andon', () => {
    store.db.pragma('user_version = 999')
    store.close()
    expect(() => new TraceStore({ path: join(dir, 'andon.db') })).toThrow(/newer than this Andon/)
    store = new TraceStore({ path: join(dir, 'other.db') })
  })
})
