/**
 * The trace store: an append-only event log per loop in SQLite (WAL, synchronous=FULL),
 * with optimistic concurrency, group commit, snapshots and rebuildable projections.
 *
 * Appends issued in the same turn of the event loop are committed together in one
 * transaction: one fsync for many events, which is what keeps FULL durability fast.
 */
import Database from 'better-sqlite3'
import type { Database as Db, Statement } from 'better-sqlite3'
import { LoopEventSchema, type LoopEventInput, type StoredEvent } from '../../../shared/events'
import type { LoopSummary } from '../../../shared/contract'
import { foldIterationRow, type IterationRow } from '../../../shared/iterations'
import { evolve, initialState, STATE_NEUTRAL_EVENTS, type LoopState } from '../../../shared/state'
import { summarize } from '../../../shared/summary'
import { migrate } from './migrate'

/** Bump when `evolve` changes meaning: older snapshots are then ignored and re-folded. */
export const FOLD_VERSION = 1

export class ConcurrencyError extends Error {
  constructor(
    readonly loopId: string,
    readonly expected: number,
    readonly actual: number
  ) {
    super(`loop ${loopId}: expected version ${expected}, stream is at ${actual}`)
  }
}

/** An event with the time it was first recorded at (bundle import only). */
export type RecordedEventInput = LoopEventInput & { at?: number }

/** `expectedVersion`: the stream version the caller last saw (0 = new stream), or 'any'. */
export type ExpectedVersion = number | 'any'

export interface TraceStoreOptions {
  path: string
  synchronous?: 'FULL' | 'NORMAL'
  /** Path to a better-sqlite3 binary built for this runtime (Electron ships its own ABI). */
  nativeBinding?: string
  snapshotEvery?: number
  clock?: () => number
  readonly?: boolean
}

interface PendingAppend {
  loopId: string
  events: RecordedEventInput[]
  expected: ExpectedVersion
  resolve: (stored: StoredEvent[]) => void
  reject: (err: unknown) => void
}

type Listener = (events: StoredEvent[], states: Map<string, LoopState>) => void

interface StoredRow {
  seq: number
  loop_id: string
  version: number
  type: string
  data: string
  at: number
}

function rowToEvent(r: StoredRow): StoredEvent {
  return { loopId: r.loop_id, version: r.version, seq: r.seq, at: r.at, type: r.type, data: JSON.parse(r.data) } as StoredEvent
}

/** Advance a state's version in place: only for a state this store owns and has not handed out. */
function advance(state: LoopState, ev: StoredEvent): LoopState {
  state.version = ev.version
  state.updatedAt = ev.at
  return state
}

export class TraceStore {
  readonly db: Db
  private readonly clock: () => number
  private readonly snapshotEvery: number
  private readonly states = new Map<string, LoopState>()
  private readonly lastRows = new Map<string, IterationRow[]>()
  /** Stream versions including appends queued but not yet committed. */
  private readonly queuedVersions = new Map<string, number>()
  private pending: PendingAppend[] = []
  private flushScheduled = false
  private readonly listeners = new Set<Listener>()
  private readonly sql: Record<string, Statement>

  constructor(opts: TraceStoreOptions) {
    this.db = new Database(opts.path, { nativeBinding: opts.nativeBinding, readonly: opts.readonly ?? false })
    this.clock = opts.clock ?? Date.now
    this.snapshotEvery = opts.snapshotEvery ?? 1000
    if (!opts.readonly) {
      this.db.pragma('journal_mode = WAL')
      this.db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`)
      this.db.pragma('foreign_keys = ON')
      migrate(this.db)
    }
    this.db.pragma('busy_timeout = 5000')
    this.sql = {
      insert: this.db.prepare('INSERT INTO events (loop_id, version, type, data, at) VALUES (?, ?, ?, ?, ?)'),
      streamVersion: this.db.prepare('SELECT version FROM streams WHERE loop_id = ?'),
      setStream: this.db.prepare(
        'INSERT INTO streams (loop_id, version) VALUES (?, ?) ON CONFLICT (loop_id) DO UPDATE SET version = excluded.version'
      ),
      read: this.db.prepare(
        'SELECT seq, loop_id, version, type, data, at FROM events WHERE loop_id = ? AND version > ? AND version <= ? ORDER BY version LIMIT ?'
      ),
      readAll: this.db.prepare('SELECT seq, loop_id, version, type, data, at FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      upsertLoop: this.db.prepare(
        `INSERT INTO loops (loop_id, name, status, summary, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (loop_id) DO UPDATE SET name = excluded.name, status = excluded.status, summary = excluded.summary, updated_at = excluded.updated_at`
      ),
      upsertRow: this.db.prepare(
        'INSERT INTO iterations (loop_id, iteration, row) VALUES (?, ?, ?) ON CONFLICT (loop_id, iteration) DO UPDATE SET row = excluded.row'
      ),
      lastRow: this.db.prepare('SELECT row FROM iterations WHERE loop_id = ? ORDER BY iteration DESC LIMIT 1'),
      rows: this.db.prepare('SELECT row FROM iterations WHERE loop_id = ? ORDER BY iteration'),
      loops: this.db.prepare('SELECT summary FROM loops ORDER BY created_at DESC, loop_id'),
      snapshot: this.db.prepare(
        'SELECT version, state FROM snapshots WHERE loop_id = ? AND version <= ? AND fold_version = ? ORDER BY version DESC LIMIT 1'
      ),
      saveSnapshot: this.db.prepare(
        'INSERT OR REPLACE INTO snapshots (loop_id, version, fold_version, state) VALUES (?, ?, ?, ?)'
      )
    }
  }

  /** Queue events for the next group commit; resolves once they are durable. */
  append(loopId: string, events: RecordedEventInput[], expected: ExpectedVersion): Promise<StoredEvent[]> {
    return new Promise((resolve, reject) => {
      try {
        this.enqueue({ loopId, events, expected, resolve, reject })
      } catch (err) {
        reject(err)
        return
      }
      if (!this.flushScheduled) {
        this.flushScheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  /** Append and commit now (with anything queued). */
  appendSync(loopId: string, events: RecordedEventInput[], expected: ExpectedVersion): StoredEvent[] {
    let out: StoredEvent[] = []
    let failure: unknown
    this.enqueue({ loopId, events, expected, resolve: (s) => (out = s), reject: (e) => (failure = e) })
    this.flush()
    if (failure) throw failure
    return out
  }

  /** Check the expected version against what is committed plus queued, then queue. */
  private enqueue(p: PendingAppend): void {
    const current = this.queuedVersion(p.loopId)
    if (p.expected !== 'any' && p.expected !== current) throw new ConcurrencyError(p.loopId, p.expected, current)
    this.queuedVersions.set(p.loopId, current + p.events.length)
    this.pending.push(p)
  }

  /** Commit every queued append in one transaction. */
  flush(): void {
    this.flushScheduled = false
    const batch = this.pending
    this.pending = []
    if (batch.length === 0) return
    const now = this.clock()
    const touched = new Map<string, LoopState>()
    const touchedRows = new Map<string, Set<IterationRow>>()
    const results: StoredEvent[][] = []
    try {
      const versions = new Map<string, number>()
      this.db.transaction(() => {
        for (const p of batch) {
          const stored: StoredEvent[] = []
          let version = versions.get(p.loopId) ?? this.committedVersion(p.loopId)
          if (p.expected !== 'any' && p.expected !== version) throw new ConcurrencyError(p.loopId, p.expected, version)
          // A private copy: states already handed out are never mutated.
          let state = touched.get(p.loopId) ?? { ...this.latestState(p.loopId) }
          const rows = this.iterationCache(p.loopId)
          for (const input of p.events) {
            const ev = LoopEventSchema.parse(input)
            // Imported events keep the time they were recorded at; everything else is stamped now.
            const at = (input as RecordedEventInput).at ?? now
            version += 1
            const info = this.sql.insert.run(p.loopId, version, ev.type, JSON.stringify(ev.data), at)
            const s: StoredEvent = { ...ev, loopId: p.loopId, version, seq: Number(info.lastInsertRowid), at }
            stored.push(s)
            // Output chunks are most of a busy loop's events and change nothing but the version.
            state = STATE_NEUTRAL_EVENTS.has(s.type) ? advance(state, s) : evolve(state, s)
            const row = foldIterationRow(rows, s)
            if (row) {
              let set = touchedRows.get(p.loopId)
              if (!set) touchedRows.set(p.loopId, (set = new Set()))
              set.add(row)
            }
            if (version % this.snapshotEvery === 0) {
              this.sql.saveSnapshot.run(p.loopId, version, FOLD_VERSION, JSON.stringify(state))
            }
          }
          versions.set(p.loopId, version)
          touched.set(p.loopId, state)
          results.push(stored)
        }
        for (const [loopId, version] of versions) this.sql.setStream.run(loopId, version)
        for (const state of touched.values()) this.writeSummary(summarize(state))
        for (const [loopId, set] of touchedRows) {
          for (const row of set) this.sql.upsertRow.run(loopId, row.iteration, JSON.stringify(row))
        }
      })()
    } catch (err) {
      // Nothing of the batch was committed: forget cached views so they are re-read.
      for (const p of batch) {
        this.queuedVersions.delete(p.loopId)
        this.states.delete(p.loopId)
        this.lastRows.delete(p.loopId)
      }
      for (const p of batch) p.reject(err)
      return
    }
    for (const [loopId, state] of touched) this.states.set(loopId, state)
    batch.forEach((p, i) => p.resolve(results[i]))
    const all = results.flat()
    for (const l of this.listeners) {
      try {
        l(all, touched)
      } catch {
        // A listener's failure must not undo a commit or starve other listeners.
      }
    }
  }

  private writeSummary(summary: LoopSummary): void {
    this.sql.upsertLoop.run(summary.loopId, summary.name, summary.status, JSON.stringify(summary), summary.createdAt, summary.updatedAt)
  }

  private iterationCache(loopId: string): IterationRow[] {
    let rows = this.lastRows.get(loopId)
    if (!rows) {
      const last = this.sql.lastRow.get(loopId) as { row: string } | undefined
      rows = last ? [JSON.parse(last.row) as IterationRow] : []
      this.lastRows.set(loopId, rows)
    }
    // Only the newest row can still change; keep the cache small.
    if (rows.length > 1) rows.splice(0, rows.length - 1)
    return rows
  }

  private committedVersion(loopId: string): number {
    const r = this.sql.streamVersion.get(loopId) as { version: number } | undefined
    return r?.version ?? 0
  }

  private queuedVersion(loopId: string): number {
    const v = this.queuedVersions.get(loopId)
    if (v !== undefined) return v
    const c = this.committedVersion(loopId)
    this.queuedVersions.set(loopId, c)
    return c
  }

  streamVersion(loopId: string): number {
    return this.committedVersion(loopId)
  }

  /** Events of one loop after `afterVersion`, up to `toVersion`, in order. */
  readStream(loopId: string, opts: { afterVersion?: number; toVersion?: number; limit?: number } = {}): StoredEvent[] {
    const rows = this.sql.read.all(
      loopId,
      opts.afterVersion ?? 0,
      opts.toVersion ?? Number.MAX_SAFE_INTEGER,
      opts.limit ?? -1
    ) as StoredRow[]
    return rows.map(rowToEvent)
  }

  /** Iterate a stream lazily, in pages, so 100k-event loops do not sit in memory at once. */
  *iterateStream(loopId: string, opts: { afterVersion?: number; toVersion?: number; pageSize?: number } = {}): Generator<StoredEvent> {
    let after = opts.afterVersion ?? 0
    const page = opts.pageSize ?? 5000
    for (;;) {
      const events = this.readStream(loopId, { afterVersion: after, toVersion: opts.toVersion, limit: page })
      yield* events
      if (events.length < page) return
      after = events[events.length - 1].version
    }
  }

  /** Every event of every loop after global position `afterSeq`. */
  readAll(afterSeq = 0, limit = 10_000): StoredEvent[] {
    return (this.sql.readAll.all(afterSeq, limit) as StoredRow[]).map(rowToEvent)
  }

  /** The state after `toVersion` (default: latest), from the nearest snapshot plus a fold. */
  loadState(loopId: string, toVersion?: number): LoopState {
    if (toVersion === undefined) return this.latestState(loopId)
    return this.foldFromSnapshot(loopId, toVersion)
  }

  private latestState(loopId: string): LoopState {
    const cached = this.states.get(loopId)
    if (cached) return cached
    const s = this.foldFromSnapshot(loopId, Number.MAX_SAFE_INTEGER)
    if (s.version > 0) this.states.set(loopId, s)
    return s
  }

  private foldFromSnapshot(loopId: string, toVersion: number): LoopState {
    const snap = this.sql.snapshot.get(loopId, toVersion, FOLD_VERSION) as { version: number; state: string } | undefined
    let state = snap ? (JSON.parse(snap.state) as LoopState) : initialState(loopId)
    for (const ev of this.iterateStream(loopId, { afterVersion: snap?.version ?? 0, toVersion })) state = evolve(state, ev)
    return state
  }

  /** Model spend recorded since `ms` across all loops (the global daily budget survives restarts). */
  spentSince(ms: number): number {
    const r = this.db
      .prepare(
        `SELECT COALESCE(SUM(json_extract(data, '$.usage.costUsd')), 0) AS usd FROM events
         WHERE type IN ('DecisionMade', 'DecisionFailed') AND at >= ?`
      )
      .get(ms) as { usd: number }
    return r.usd
  }

  listLoops(): LoopSummary[] {
    return (this.sql.loops.all() as { summary: string }[]).map((r) => JSON.parse(r.summary) as LoopSummary)
  }

  loopIds(): string[] {
    return (this.db.prepare('SELECT loop_id FROM streams ORDER BY loop_id').all() as { loop_id: string }[]).map((r) => r.loop_id)
  }

  iterationRows(loopId: string): IterationRow[] {
    return (this.sql.rows.all(loopId) as { row: string }[]).map((r) => JSON.parse(r.row) as IterationRow)
  }

  /** Drop and refill every projection from the event log. */
  rebuildProjections(): void {
    this.flush()
    this.db.transaction(() => {
      this.db.exec('DELETE FROM loops; DELETE FROM iterations; DELETE FROM snapshots;')
      for (const loopId of this.loopIds()) {
        let state = initialState(loopId)
        const rows: IterationRow[] = []
        for (const ev of this.iterateStream(loopId)) {
          state = evolve(state, ev)
          foldIterationRow(rows, ev)
          if (ev.version % this.snapshotEvery === 0) this.sql.saveSnapshot.run(loopId, ev.version, FOLD_VERSION, JSON.stringify(state))
        }
        this.writeSummary(summarize(state))
        for (const row of rows) this.sql.upsertRow.run(loopId, row.iteration, JSON.stringify(row))
      }
    })()
    this.states.clear()
    this.lastRows.clear()
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  close(): void {
    this.flush()
    this.db.close()
  }
}
