/**
 * The trace store: an append-only event log per loop in SQLite (WAL, synchronous=FULL),
 * with optimistic concurrency, group commit, snapshots and rebuildable projections.
 *
 * Appends issued in the same turn of the event loop are committed together in one
 * transaction: one fsync for many events, which is what keeps FULL durability fast.
 */
import Database from 'better-sqlite3'
import type { Database as Db, Statement } from 'better-sqlite3'
import { EventSchemas, LoopEventSchema, type LoopEvent, type LoopEventInput, type StoredEvent } from '../../../shared/events'
import type { LoopSummary } from '../../../shared/contract'
import { foldIterationRow, type IterationRow, type IterationSpan } from '../../../shared/iterations'
import { evolve, initialState, STATE_NEUTRAL_EVENTS, type LoopState } from '../../../shared/state'
import { summarize } from '../../../shared/summary'
import { schemaVersionOf, upcast } from '../../../shared/upcast'
import type { StagedChunk, StagedImport } from '../bundles/staging'
import { LeaseTable } from './leases'
import { migrate } from './migrate'
import { SPEND_MINUTES_FROM_EVENTS } from './migrations/0011-spend-minutes'
import { SettingsLog } from './settings'

/** Bump when `evolve` changes meaning: older snapshots are then ignored and re-folded. */
export const FOLD_VERSION = 5
/** Bump when the loops or iterations projection changes meaning: they are rebuilt on the next open. */
export const PROJECTION_VERSION = 3
/** The most events `readStream` returns when it is given no limit (more is refused: page instead). */
export const UNPAGED_READ_MAX = 10_000

/** A stored event that no longer parses (a damaged database, or data from a newer Andon). */
export class CorruptEventError extends Error {
  /** What a shell answers: the request was fine, the loop's record cannot be read. */
  readonly status = 422
  constructor(
    readonly loopId: string,
    readonly version: number,
    detail: string
  ) {
    super(`loop ${loopId}: event ${version} cannot be read: ${detail}`)
  }
}

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

/** One group commit: the appends, their checked events, and what the transaction works out for each. */
interface GroupCommit {
  batch: PendingAppend[]
  now: number
  /** Per append: the stored events, or why it was refused. */
  outcomes: (StoredEvent[] | Error)[]
  /** Per append: its parsed events, or null when it was refused before the transaction. */
  prepared: (PreparedEvent[] | null)[]
  touched: Map<string, LoopState>
  /** Loops with an event that changed more than the version (their loop-list row is rewritten). */
  summaryChanged: Set<string>
  touchedRows: Map<string, Set<IterationRow>>
  /** Model spend by minute, written with the decisions it comes from. */
  spend: Map<number, number>
}

type Listener = (events: StoredEvent[], states: Map<string, LoopState>) => void

/** An events row as SQLite returns it. */
export interface StoredRow {
  seq: number
  loop_id: string
  version: number
  type: string
  data: string
  at: number
  schema: number
}

/** Every read is upcast to today's schema and parsed: a bad row is a clear error, never a bad state. */
export function rowToEvent(r: StoredRow): StoredEvent {
  let event: LoopEvent
  try {
    const parsed = LoopEventSchema.safeParse({ type: r.type, data: upcast(r.type, r.schema, JSON.parse(r.data)) })
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
      throw new Error(`${r.type}: ${issues.join('; ')}`)
    }
    event = parsed.data
  } catch (err) {
    throw new CorruptEventError(r.loop_id, r.version, (err as Error).message)
  }
  return { ...event, loopId: r.loop_id, version: r.version, seq: r.seq, at: r.at }
}

/** An append checked and serialized before its transaction: only SQLite itself can still fail it. */
interface PreparedEvent {
  event: LoopEvent
  json: string
  at: number | undefined
  schema: number
}

/** Each type's own schema: one map lookup instead of the union's dispatch, the same validation. */
const SCHEMA_OF_TYPE: ReadonlyMap<string, { parse(input: unknown): unknown }> = new Map(EventSchemas.map((s) => [s.shape.type.value, s]))

function parseEvent(input: RecordedEventInput): LoopEvent {
  const schema = typeof input?.type === 'string' ? SCHEMA_OF_TYPE.get(input.type) : undefined
  // An unknown or missing type gets the union's own error, which lists the types there are.
  return (schema ? schema.parse(input) : LoopEventSchema.parse(input)) as LoopEvent
}

function prepare(p: PendingAppend): PreparedEvent[] {
  const out: PreparedEvent[] = new Array(p.events.length)
  for (let i = 0; i < p.events.length; i++) {
    const input = p.events[i]
    const event = parseEvent(input)
    out[i] = { event, json: JSON.stringify(event.data), at: input.at, schema: schemaVersionOf(event.type) }
  }
  return out
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
  private committedTransactions = 0
  private readonly sql: Record<string, Statement>
  /** The group commit's transaction, built once: building a wrapper per flush cost more than a small commit's SQL. */
  private readonly commitGroup: (group: GroupCommit) => void
  /** Who drives which loop (one process per loop). */
  readonly leases: LeaseTable
  /** Operator settings, recorded with who and why. */
  readonly settings: SettingsLog

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
      insert: this.db.prepare('INSERT INTO events (loop_id, version, type, data, at, schema) VALUES (?, ?, ?, ?, ?, ?)'),
      streamVersion: this.db.prepare('SELECT version FROM streams WHERE loop_id = ?'),
      setStream: this.db.prepare(
        'INSERT INTO streams (loop_id, version) VALUES (?, ?) ON CONFLICT (loop_id) DO UPDATE SET version = excluded.version'
      ),
      read: this.db.prepare(
        'SELECT seq, loop_id, version, type, data, at, schema FROM events WHERE loop_id = ? AND version > ? AND version <= ? ORDER BY version LIMIT ?'
      ),
      readAll: this.db.prepare('SELECT seq, loop_id, version, type, data, at, schema FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      upsertLoop: this.db.prepare(
        `INSERT INTO loops (loop_id, name, status, summary, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (loop_id) DO UPDATE SET name = excluded.name, status = excluded.status, summary = excluded.summary, updated_at = excluded.updated_at`
      ),
      upsertRow: this.db.prepare(
        'INSERT INTO iterations (loop_id, iteration, row) VALUES (?, ?, ?) ON CONFLICT (loop_id, iteration) DO UPDATE SET row = excluded.row'
      ),
      lastRow: this.db.prepare('SELECT row FROM iterations WHERE loop_id = ? ORDER BY iteration DESC LIMIT 1'),
      rows: this.db.prepare('SELECT row FROM iterations WHERE loop_id = ? ORDER BY iteration'),
      rowsBetween: this.db.prepare('SELECT row FROM iterations WHERE loop_id = ? AND iteration BETWEEN ? AND ? ORDER BY iteration LIMIT ?'),
      newestRows: this.db.prepare('SELECT row FROM (SELECT iteration, row FROM iterations WHERE loop_id = ? ORDER BY iteration DESC LIMIT ?) ORDER BY iteration'),
      // Two subqueries, each a single seek in the primary key (MIN and MAX in one SELECT would scan).
      rowSpan: this.db.prepare(
        'SELECT (SELECT MIN(iteration) FROM iterations WHERE loop_id = ?) AS first, (SELECT MAX(iteration) FROM iterations WHERE loop_id = ?) AS last'
      ),
      // The stream's version and its newest event's time: a row is not rewritten for state-neutral events.
      loops: this.db.prepare(
        `SELECT l.summary, s.version, e.at FROM loops l
         LEFT JOIN streams s ON s.loop_id = l.loop_id LEFT JOIN events e ON e.loop_id = s.loop_id AND e.version = s.version
         ORDER BY l.created_at DESC, l.loop_id`
      ),
      snapshot: this.db.prepare(
        'SELECT version, state FROM snapshots WHERE loop_id = ? AND version <= ? AND fold_version = ? ORDER BY version DESC LIMIT 1'
      ),
      saveSnapshot: this.db.prepare(
        'INSERT OR REPLACE INTO snapshots (loop_id, version, fold_version, state) VALUES (?, ?, ?, ?)'
      ),
      addSpend: this.db.prepare(
        'INSERT INTO spend_minutes (minute, usd) VALUES (?, ?) ON CONFLICT (minute) DO UPDATE SET usd = usd + excluded.usd'
      ),
      spentSince: this.db.prepare('SELECT COALESCE(SUM(usd), 0) FROM spend_minutes WHERE minute >= ?').pluck()
    }
    this.commitGroup = this.db.transaction((group: GroupCommit) => this.writeGroup(group)).immediate
    this.leases = new LeaseTable(this.db)
    this.settings = new SettingsLog(this.db)
    if (!opts.readonly && this.projectionVersion() !== PROJECTION_VERSION) this.rebuildProjections()
  }

  private projectionVersion(): number {
    const r = this.db.prepare("SELECT value FROM meta WHERE key = 'projections'").get() as { value: string } | undefined
    if (r) return Number(r.value)
    // Projections from before they carried a version are stale; a database with no events starts current.
    if (this.db.prepare('SELECT 1 FROM events LIMIT 1').get()) return 1
    this.setProjectionVersion()
    return PROJECTION_VERSION
  }

  private setProjectionVersion(): void {
    this.db
      .prepare("INSERT INTO meta (key, value) VALUES ('projections', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(String(PROJECTION_VERSION))
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

  /**
   * Commit every queued append in one transaction. Each append is checked on its own (valid
   * events, expected version) before anything of it is written, so one bad append is refused
   * alone and never takes the other loops' appends of the same group commit down with it.
   */
  flush(): void {
    this.flushScheduled = false
    const batch = this.pending
    this.pending = []
    if (batch.length === 0) return
    const group: GroupCommit = {
      batch,
      now: this.clock(),
      outcomes: batch.map(() => []),
      prepared: batch.map(() => null),
      touched: new Map(),
      summaryChanged: new Set(),
      touchedRows: new Map(),
      spend: new Map()
    }
    batch.forEach((p, i) => {
      try {
        group.prepared[i] = prepare(p)
      } catch (err) {
        group.outcomes[i] = err as Error
      }
    })
    try {
      this.commitGroup(group)
    } catch (err) {
      // SQLite itself failed: nothing of the batch was committed. Forget cached views so they are re-read.
      for (const p of batch) this.forget(p.loopId)
      for (const p of batch) p.reject(err)
      return
    }
    this.committedTransactions++
    const { outcomes, touched } = group
    for (const [loopId, state] of touched) this.states.set(loopId, state)
    const committed: StoredEvent[] = []
    batch.forEach((p, i) => {
      const out = outcomes[i]
      if (out instanceof Error) {
        // The queue counted this append's events: recount from what is committed. A conflict
        // means another process wrote: what is cached about the loop is stale too.
        if (out instanceof ConcurrencyError) this.forget(p.loopId)
        else this.queuedVersions.delete(p.loopId)
        p.reject(out)
      } else {
        committed.push(...out)
        p.resolve(out)
      }
    })
    if (committed.length === 0) return
    for (const l of this.listeners) {
      try {
        l(committed, touched)
      } catch {
        // A listener's failure must not undo a commit or starve other listeners.
      }
    }
  }

  /** Inside the group commit's transaction: write each checked append, then the projections they change. */
  private writeGroup(g: GroupCommit): void {
    const versions = new Map<string, number>()
    g.batch.forEach((p, i) => {
      const events = g.prepared[i]
      if (!events) return
      const committed = this.committedVersion(p.loopId)
      let version = versions.get(p.loopId) ?? committed
      if (p.expected !== 'any' && p.expected !== version) {
        g.outcomes[i] = new ConcurrencyError(p.loopId, p.expected, version)
        return
      }
      const stored: StoredEvent[] = []
      // A private copy: states already handed out are never mutated.
      let state = g.touched.get(p.loopId) ?? { ...this.stateAt(p.loopId, committed) }
      const rows = this.iterationCache(p.loopId)
      for (const { event, json, at: recordedAt, schema } of events) {
        // Imported events keep the time they were recorded at; everything else is stamped now.
        const at = recordedAt ?? g.now
        version += 1
        const info = this.sql.insert.run(p.loopId, version, event.type, json, at, schema)
        // Built field by field: one object shape for every event, cheaper than a spread.
        const s = { type: event.type, data: event.data, loopId: p.loopId, version, seq: Number(info.lastInsertRowid), at } as StoredEvent
        stored.push(s)
        if ((s.type === 'DecisionMade' || s.type === 'DecisionFailed') && s.data.usage.costUsd !== 0) {
          const minute = Math.floor(at / 60_000)
          g.spend.set(minute, (g.spend.get(minute) ?? 0) + s.data.usage.costUsd)
        }
        // Output chunks are most of a busy loop's events and change nothing but the version.
        if (STATE_NEUTRAL_EVENTS.has(s.type)) state = advance(state, s)
        else {
          state = evolve(state, s)
          g.summaryChanged.add(p.loopId)
        }
        const row = foldIterationRow(rows, s)
        if (row) {
          let set = g.touchedRows.get(p.loopId)
          if (!set) g.touchedRows.set(p.loopId, (set = new Set()))
          set.add(row)
        }
        if (version % this.snapshotEvery === 0) {
          this.sql.saveSnapshot.run(p.loopId, version, FOLD_VERSION, JSON.stringify(state))
        }
      }
      versions.set(p.loopId, version)
      g.touched.set(p.loopId, state)
      g.outcomes[i] = stored
    })
    for (const [loopId, version] of versions) this.sql.setStream.run(loopId, version)
    for (const [minute, usd] of g.spend) this.sql.addSpend.run(minute, usd)
    // A loop whose events were all state-neutral keeps its row: only its version and time moved,
    // and listLoops reads those from the stream (one page less per commit of output chunks).
    for (const loopId of g.summaryChanged) this.writeSummary(summarize(g.touched.get(loopId)!))
    for (const [loopId, set] of g.touchedRows) {
      for (const row of set) this.sql.upsertRow.run(loopId, row.iteration, JSON.stringify(row))
    }
  }

  /** Drop what is cached about a loop: the next read folds it from the store. */
  private forget(loopId: string): void {
    this.queuedVersions.delete(loopId)
    this.states.delete(loopId)
    this.lastRows.delete(loopId)
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

  /** Durable commits of appends so far (each one fsync under synchronous=FULL): what an iteration costs the disk. */
  get commits(): number {
    return this.committedTransactions
  }

  streamVersion(loopId: string): number {
    return this.committedVersion(loopId)
  }

  /**
   * Events of one loop after `afterVersion`, up to `toVersion`, in order: at most `limit`. Without a
   * limit, a range of more than UNPAGED_READ_MAX events is refused rather than loaded whole: read
   * a long stream with `iterateStream` (or pages of `limit`).
   */
  readStream(loopId: string, opts: { afterVersion?: number; toVersion?: number; limit?: number } = {}): StoredEvent[] {
    const after = opts.afterVersion ?? 0
    const limit = opts.limit ?? UNPAGED_READ_MAX + 1
    const rows = this.sql.read.all(loopId, after, opts.toVersion ?? Number.MAX_SAFE_INTEGER, limit) as StoredRow[]
    if (opts.limit === undefined && rows.length > UNPAGED_READ_MAX) {
      throw new Error(`loop ${loopId}: more than ${UNPAGED_READ_MAX} events after version ${after}; read them in pages (iterateStream)`)
    }
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
    return this.stateAt(loopId, this.committedVersion(loopId))
  }

  /** The latest state, given the stream's committed version (read by the caller). */
  private stateAt(loopId: string, committed: number): LoopState {
    const cached = this.states.get(loopId)
    // Another process may have appended since: a cached state behind the stream is folded afresh.
    if (cached && cached.version === committed) return cached
    this.lastRows.delete(loopId)
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

  /**
   * Model spend this Andon recorded since `ms` across all loops (the global daily budget survives
   * restarts), read from per-minute totals kept with the decisions: from the minute holding `ms`
   * (a start of day in any time zone is a whole minute). Spend in events imported from a bundle is
   * not counted: another run made it, and counting a re-imported bundle would count it twice.
   */
  spentSince(ms: number): number {
    return this.sql.spentSince.get(Math.floor(ms / 60_000)) as number
  }

  listLoops(): LoopSummary[] {
    return (this.sql.loops.all() as { summary: string; version: number | null; at: number | null }[]).map((r) => {
      const summary = JSON.parse(r.summary) as LoopSummary
      // Events that change nothing but the version (output chunks) leave the row as it was.
      if (r.version !== null && r.at !== null && r.version > summary.version) {
        summary.version = r.version
        summary.updatedAt = r.at
      }
      return summary
    })
  }

  /** Loops whose listed status is `status` (from the loop-list projection). */
  loopIdsWithStatus(status: string): string[] {
    return (this.db.prepare('SELECT loop_id FROM loops WHERE status = ?').all(status) as { loop_id: string }[]).map((r) => r.loop_id)
  }

  loopIds(): string[] {
    return (this.db.prepare('SELECT loop_id FROM streams ORDER BY loop_id').all() as { loop_id: string }[]).map((r) => r.loop_id)
  }

  /** Every iteration row of a loop: for comparing two loops (lineage.ts); a screen pages with the reads below. */
  iterationRows(loopId: string): IterationRow[] {
    return (this.sql.rows.all(loopId) as { row: string }[]).map((r) => JSON.parse(r.row) as IterationRow)
  }

  /** Rows of iterations `from`..`to`, oldest first, at most `limit`. */
  iterationRowsBetween(loopId: string, from: number, to: number, limit: number): IterationRow[] {
    return (this.sql.rowsBetween.all(loopId, from, to, limit) as { row: string }[]).map((r) => JSON.parse(r.row) as IterationRow)
  }

  /** The newest `limit` rows, oldest first. */
  newestIterationRows(loopId: string, limit: number): IterationRow[] {
    return (this.sql.newestRows.all(loopId, limit) as { row: string }[]).map((r) => JSON.parse(r.row) as IterationRow)
  }

  /** The first and last iteration a loop has rows for (0 and 0: none yet). */
  iterationSpan(loopId: string): IterationSpan {
    const r = this.sql.rowSpan.get(loopId, loopId) as { first: number | null; last: number | null }
    return { first: r.first ?? 0, last: r.last ?? 0 }
  }

  /**
   * Drop and refill the projections (loop list, iteration rows, snapshots) from the event log,
   * loop by loop: a loop whose events cannot be read keeps its old rows and is reported. The spend
   * per minute is refilled by the migration's backfill (imported loops left out).
   */
  rebuildProjections(): { rebuilt: number; failed: { loopId: string; error: string }[] } {
    this.flush()
    const failed: { loopId: string; error: string }[] = []
    let rebuilt = 0
    const one = this.db.transaction((loopId: string) => {
      for (const table of ['loops', 'iterations', 'snapshots']) this.db.prepare(`DELETE FROM ${table} WHERE loop_id = ?`).run(loopId)
      let state = initialState(loopId)
      const rows: IterationRow[] = []
      for (const ev of this.iterateStream(loopId)) {
        state = evolve(state, ev)
        foldIterationRow(rows, ev)
        if (ev.version % this.snapshotEvery === 0) this.sql.saveSnapshot.run(loopId, ev.version, FOLD_VERSION, JSON.stringify(state))
      }
      if (state.spec) this.writeSummary(summarize(state))
      for (const row of rows) this.sql.upsertRow.run(loopId, row.iteration, JSON.stringify(row))
    })
    this.db.transaction(() => {
      for (const loopId of this.loopIds()) {
        try {
          one(loopId)
          rebuilt++
        } catch (err) {
          failed.push({ loopId, error: (err as Error).message })
        }
      }
      this.db.exec(`DELETE FROM spend_minutes; ${SPEND_MINUTES_FROM_EVENTS}`)
      this.setProjectionVersion()
    })()
    this.states.clear()
    this.lastRows.clear()
    return { rebuilt, failed }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  close(): void {
    this.flush()
    this.db.close()
  }

  // ── Bundle import: a large bundle is written in chunks where nothing reads it, then published at once ──

  /** How often a fold snapshot is saved, for events folded outside the store (bundle import). */
  snapshotInterval(): number {
    return this.snapshotEvery
  }

  /** Imports under way in any process on this database, with the loop ids they stage events under. */
  importsUnderWay(): StagedImport[] {
    const rows = this.db.prepare("SELECT key, value FROM meta WHERE key LIKE 'import:%'").all() as { key: string; value: string }[]
    return rows.map((r) => ({ ...(JSON.parse(r.value) as Omit<StagedImport, 'token'>), token: r.key.slice('import:'.length) }))
  }

  /** An id is taken by a loop, or by an import that stages events under it. */
  loopIdTaken(loopId: string): boolean {
    if (this.committedVersion(loopId) > 0) return true
    if (this.db.prepare('SELECT 1 FROM events WHERE loop_id = ? LIMIT 1').get(loopId)) return true
    return this.importsUnderWay().some((i) => i.loopIds.includes(loopId))
  }

  /** Record an import as under way: its ids stay reserved until it is published or discarded. */
  beginImport(imp: StagedImport): void {
    const { token, ...rest } = imp
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(`import:${token}`, JSON.stringify(rest))
  }

  /**
   * Write checked events of an import in one short transaction. No stream row and no loop-list
   * row is written, so no read sees them until `publishImport`.
   */
  stageImport(chunk: StagedChunk): void {
    const insert = this.sql.insert
    this.db
      .transaction(() => {
        for (const e of chunk.events) insert.run(chunk.loopId, e.version, e.type, e.json, e.at, e.schema)
        for (const [iteration, row] of chunk.iterations) this.sql.upsertRow.run(chunk.loopId, iteration, row)
        for (const [version, state] of chunk.snapshots) this.sql.saveSnapshot.run(chunk.loopId, version, FOLD_VERSION, state)
      })
      .immediate()
  }

  /** Make an import's loops exist, all in one transaction; listeners hear each loop's newest event. */
  publishImport(token: string, loops: { loopId: string; state: LoopState }[]): void {
    this.db
      .transaction(() => {
        for (const { loopId, state } of loops) {
          const current = this.committedVersion(loopId)
          if (current > 0) throw new ConcurrencyError(loopId, 0, current)
          this.sql.setStream.run(loopId, state.version)
          this.writeSummary(summarize(state))
        }
        this.db.prepare('DELETE FROM meta WHERE key = ?').run(`import:${token}`)
      })
      .immediate()
    const states = new Map<string, LoopState>()
    for (const { loopId, state } of loops) {
      this.forget(loopId)
      this.states.set(loopId, state)
      states.set(loopId, state)
    }
    const newest = loops.flatMap(({ loopId, state }) => this.readStream(loopId, { afterVersion: state.version - 1, limit: 1 }))
    for (const l of this.listeners) {
      try {
        l(newest, states)
      } catch {
        // A listener's failure must not undo a commit or starve other listeners.
      }
    }
  }

  /**
   * Remove up to `maxRows` staged events of an import that failed, in one short transaction;
   * true once nothing of it is left. Staged events were never part of any loop's history: the
   * append-only guard is lifted inside this transaction only, for ids no stream owns.
   */
  discardImport(imp: StagedImport, maxRows = 5000): boolean {
    const ids = imp.loopIds.filter((id) => this.committedVersion(id) === 0)
    const guard = this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_no_delete'").pluck().get() as
      | string
      | undefined
    const remove = this.db.prepare('DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE loop_id = ? ORDER BY seq DESC LIMIT ?)')
    let left = maxRows
    this.db
      .transaction(() => {
        if (guard) this.db.exec('DROP TRIGGER events_no_delete')
        for (const id of ids) {
          left -= remove.run(id, left).changes
          if (left === 0) break
        }
        if (guard) this.db.exec(guard)
        if (left === 0) return
        for (const id of ids) {
          this.db.prepare('DELETE FROM iterations WHERE loop_id = ?').run(id)
          this.db.prepare('DELETE FROM snapshots WHERE loop_id = ?').run(id)
        }
        this.db.prepare('DELETE FROM meta WHERE key = ?').run(`import:${imp.token}`)
      })
      .immediate()
    for (const id of ids) this.forget(id)
    return left > 0
  }
}
