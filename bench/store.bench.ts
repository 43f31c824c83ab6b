/**
 * Store benchmarks, each against a reference measured in the same run:
 * appends vs raw better-sqlite3 inserts of the same rows under the same pragmas (WAL, FULL),
 * per-step writes vs LangGraph.js's SQLite checkpointer, folds, stream reads, bundles.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import type { LoopEventInput } from '../src/shared/events'
import { LoopSpecSchema } from '../src/shared/spec'
import { fold } from '../src/shared/state'
import { exportBundleBytes } from '../src/main/core/bundles/export'
import { importBundle } from '../src/main/core/bundles/import'
import { migrate } from '../src/main/core/store/migrate'
import { TraceStore } from '../src/main/core/store/trace-store'
import { best, fmt, rate, row, section, time } from './harness'

const spec = LoopSpecSchema.parse({ name: 'bench', task: 'bench', policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] } })
const created: LoopEventInput = { type: 'LoopCreated', data: { spec } }
const KB = 'x'.repeat(1000)
/** A ~1 KB event: a chunk of tool output. */
const kbEvent = (i: number): LoopEventInput => ({ type: 'ToolOutput', data: { callId: `c${i}`, stream: 'stdout', chunk: KB } })

/** One iteration's worth of events (8), as the engine writes them. */
function iterationEvents(i: number): LoopEventInput[] {
  const action = { tool: 'read_file', args: { path: 'a.txt' } }
  const callId = `l:${i}`
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

function rawDb(dir: string): { db: Database.Database; insert: Database.Statement } {
  const db = new Database(join(dir, 'raw.db'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  migrate(db)
  return { db, insert: db.prepare('INSERT INTO events (loop_id, version, type, data, at) VALUES (?, ?, ?, ?, ?)') }
}

async function appendThroughput(): Promise<void> {
  section('Store appends of ~1 KB events (WAL, synchronous=FULL) vs raw better-sqlite3 inserts of the same rows')
  const N_SINGLE = 2000
  const N_BATCH = 20_000
  const rawSingle = await best(3, (dir) => {
    const { db, insert } = rawDb(dir)
    const t0 = performance.now()
    for (let i = 0; i < N_SINGLE; i++) insert.run('a', i + 1, 'ToolOutput', JSON.stringify(kbEvent(i).data), Date.now())
    const ms = performance.now() - t0
    db.close()
    return ms
  })
  const storeSingle = await best(3, async (dir) => {
    const store = new TraceStore({ path: join(dir, 'a.db') })
    store.appendSync('a', [created], 0)
    const t0 = performance.now()
    for (let i = 0; i < N_SINGLE; i++) await store.append('a', [kbEvent(i)], i + 1)
    const ms = performance.now() - t0
    store.close()
    return ms
  })
  row('raw insert, one commit per row', `${fmt(rate(N_SINGLE, rawSingle))} rows/s`)
  row('store.append, one awaited append per event', `${fmt(rate(N_SINGLE, storeSingle))} events/s`, `ratio ${(rawSingle / storeSingle).toFixed(2)} of raw`)

  const rawBatch = await best(3, (dir) => {
    const { db, insert } = rawDb(dir)
    const tx = db.transaction((from: number) => {
      for (let i = from; i < from + 1000; i++) insert.run('a', i + 1, 'ToolOutput', JSON.stringify(kbEvent(i).data), Date.now())
    })
    const t0 = performance.now()
    for (let b = 0; b < N_BATCH; b += 1000) tx(b)
    const ms = performance.now() - t0
    db.close()
    return ms
  })
  const storeBatch = await best(3, async (dir) => {
    const store = new TraceStore({ path: join(dir, 'a.db') })
    const loops = Array.from({ length: 20 }, (_, i) => `loop-${i}`)
    for (const l of loops) store.appendSync(l, [created], 0)
    const t0 = performance.now()
    // 1,000 appends in flight at once (50 per loop × 20 loops): the store commits them together.
    for (let b = 0; b < N_BATCH; b += 1000) {
      const round = b / 1000
      await Promise.all(loops.flatMap((l) => Array.from({ length: 50 }, (_, k) => store.append(l, [kbEvent(b + k)], 1 + round * 50 + k))))
    }
    const ms = performance.now() - t0
    store.close()
    return ms
  })
  const storeArray = await best(3, async (dir) => {
    const store = new TraceStore({ path: join(dir, 'a.db') })
    store.appendSync('a', [created], 0)
    const t0 = performance.now()
    for (let b = 0; b < N_BATCH; b += 1000) await store.append('a', Array.from({ length: 1000 }, (_, k) => kbEvent(b + k)), 1 + b)
    const ms = performance.now() - t0
    store.close()
    return ms
  })
  row('raw insert, 1,000 rows per commit', `${fmt(rate(N_BATCH, rawBatch))} rows/s`)
  row('store, 1,000 concurrent single-event appends (group commit)', `${fmt(rate(N_BATCH, storeBatch))} events/s`, `ratio ${(rawBatch / storeBatch).toFixed(2)} of raw`)
  row('store.append of 1,000 events at once', `${fmt(rate(N_BATCH, storeArray))} events/s`, `ratio ${(rawBatch / storeArray).toFixed(2)} of raw`)
}

async function versusLangGraph(): Promise<void> {
  section('Per-step durable writes: Andon (one iteration = 8 events) vs LangGraph.js SqliteSaver (one checkpoint)')
  let SqliteSaver: typeof import('@langchain/langgraph-checkpoint-sqlite').SqliteSaver
  let emptyCheckpoint: typeof import('@langchain/langgraph-checkpoint').emptyCheckpoint
  try {
    ;({ SqliteSaver } = await import('@langchain/langgraph-checkpoint-sqlite'))
    ;({ emptyCheckpoint } = await import('@langchain/langgraph-checkpoint'))
  } catch (err) {
    row('LangGraph checkpointer', `not installed: ${(err as Error).message.slice(0, 60)}`)
    return
  }
  const STEPS = 1000
  const andon = await best(3, async (dir) => {
    const store = new TraceStore({ path: join(dir, 'a.db') })
    store.appendSync('a', [created], 0)
    let v = 1
    const t0 = performance.now()
    for (let i = 1; i <= STEPS; i++) {
      const evs = iterationEvents(i)
      await store.append('a', evs, v)
      v += evs.length
    }
    const ms = performance.now() - t0
    store.close()
    return ms
  })
  const lg = await best(3, async (dir) => {
    const saver = SqliteSaver.fromConnString(join(dir, 'lg.db'))
    ;(saver as unknown as { setup(): void }).setup()
    saver.db.pragma('synchronous = FULL')
    let state = fold('a', [])
    let config: { configurable: Record<string, string> } = { configurable: { thread_id: 'a', checkpoint_ns: '' } }
    const t0 = performance.now()
    for (let i = 1; i <= STEPS; i++) {
      // The equivalent state per step: the loop state after the iteration, as a checkpoint.
      state = { ...state, iteration: i, lastObservation: { tool: 'read_file', ok: true, exitCode: null, summary: 'read a.txt', excerpt: `hello ${i}` } }
      const cp = { ...emptyCheckpoint(), id: `cp-${String(i).padStart(8, '0')}`, channel_values: { state }, channel_versions: { state: i } }
      config = (await saver.put(config, cp, { source: 'loop', step: i, parents: {} })) as typeof config
    }
    const ms = performance.now() - t0
    saver.db.close()
    return ms
  })
  row('LangGraph SqliteSaver.put per step (synchronous=FULL)', `${fmt(rate(STEPS, lg))} steps/s`)
  row('Andon store.append of one iteration per step', `${fmt(rate(STEPS, andon))} steps/s`, `ratio ${(lg / andon).toFixed(2)} of LangGraph`)
}

async function foldAndRead(): Promise<void> {
  section('State rebuild and reads')
  await best(1, async (dir) => {
    const path = join(dir, 'a.db')
    const store = new TraceStore({ path })
    store.appendSync('big', [created], 0)
    let v = 1
    for (let b = 1; b <= 10_000; b += 250) {
      const evs = Array.from({ length: 250 }, (_, k) => iterationEvents(b + k)).flat()
      store.appendSync('big', evs, v)
      v += evs.length
    }
    store.appendSync('read', [created], 0)
    for (let b = 0; b < 99_999; b += 5000) {
      const n = Math.min(5000, 99_999 - b)
      store.appendSync('read', Array.from({ length: n }, (_, k) => kbEvent(b + k)), b + 1)
    }
    store.close()

    const cold = new TraceStore({ path })
    const snap = await time(() => cold.loadState('big'))
    const all = cold.readStream('big')
    const full = await time(() => fold('big', all))
    // Worst case: the newest snapshot is 999 events back.
    const worst = await time(() => cold.loadState('big', 79_999))
    row(`rebuild a 10,000-iteration loop (${fmt(v)} events), snapshot + fold`, `${snap.ms.toFixed(1)} ms`, `full fold ${full.ms.toFixed(0)} ms`)
    row('  same, newest snapshot 999 events back (worst case)', `${worst.ms.toFixed(1)} ms`)
    if (snap.value.iteration !== 10_000 || JSON.stringify(snap.value) !== JSON.stringify(full.value)) throw new Error('snapshot fold differs from full fold')

    const raw = new Database(path, { readonly: true })
    const rawRead = await time(() =>
      (raw.prepare('SELECT * FROM events WHERE loop_id = ? ORDER BY version').all('read') as { data: string }[]).map((r) => JSON.parse(r.data)).length
    )
    raw.close()
    const read = await time(() => {
      let n = 0
      for (const _ of cold.iterateStream('read')) n++
      return n
    })
    row('read 100,000 events of one loop in order (parsed)', `${read.ms.toFixed(0)} ms`, `ratio ${(rawRead.ms / read.ms).toFixed(2)} of raw SELECT + JSON.parse (${rawRead.ms.toFixed(0)} ms)`)

    const exp = await time(() => exportBundleBytes(cold, { loopIds: ['read'], appVersion: 'bench' }))
    row('export a 100,000-event bundle', `${exp.ms.toFixed(0)} ms`, `${(exp.value.bytes.byteLength / 1e6).toFixed(1)} MB`)
    const target = new TraceStore({ path: join(dir, 'b.db') })
    const imp = await time(() => importBundle(target, exp.value.bytes))
    row('import (validate, fold, write) a 100,000-event bundle', `${imp.ms.toFixed(0)} ms`, `${fmt(target.streamVersion(imp.value.loopIds[0]))} events`)
    target.close()
    cold.close()
    return 0
  })
}

export async function storeBenchmarks(): Promise<void> {
  await appendThroughput()
  await versusLangGraph()
  await foldAndRead()
}
