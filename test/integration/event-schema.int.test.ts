/**
 * Event schema evolution on a real SQLite file: events carry their schema version and are
 * upcast and parsed on every read; a database from before versions opens, migrates and
 * rebuilds its projections; a damaged event is a clear error for its loop alone; one bad
 * append never takes other loops' appends in the same group commit down with it.
 */
import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrations } from '../../src/main/core/store/migrations'
import { CorruptEventError, PROJECTION_VERSION, TraceStore } from '../../src/main/core/store/trace-store'
import type { LoopEventInput } from '../../src/shared/events'
import { LoopSpecSchema } from '../../src/shared/spec'
import { exampleSpec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'

const spec = LoopSpecSchema.parse({ name: 'schema-test', task: 't', policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] } })
const created: LoopEventInput = { type: 'LoopCreated', data: { spec } }

let dir: string
beforeEach(() => {
  dir = tempDir()
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A database as Andon wrote it before event schema versions (migrations 1–3 only). */
function oldDatabase(path: string): void {
  const db = new Database(path)
  for (const m of migrations.filter((x) => x.id <= 3)) db.exec(m.sql)
  db.pragma('user_version = 3')
  const insert = db.prepare('INSERT INTO events (loop_id, version, type, data, at) VALUES (?, ?, ?, ?, ?)')
  const events: [string, unknown][] = [
    ['LoopCreated', { spec, specPath: null, workspace: null, parentLoopId: null, forkedAtVersion: null, startState: null, readOnly: false }],
    ['Started', { by: 'operator' }],
    ['IterationStarted', { iteration: 1 }],
    // v1 of Interrupted had no lastAliveAt.
    ['Interrupted', { detail: 'Andon stopped while the loop ran iteration 1' }],
    ['Resumed', { by: 'recovery' }]
  ]
  events.forEach(([type, data], i) => insert.run('old-loop', i + 1, type, JSON.stringify(data), 1000 + i * 100))
  db.prepare('INSERT INTO streams (loop_id, version) VALUES (?, ?)').run('old-loop', events.length)
  // The old projection code wrote a summary without the fields today's list needs.
  db.prepare('INSERT INTO loops (loop_id, name, status, summary, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    'old-loop',
    'schema-test',
    'running',
    JSON.stringify({ loopId: 'old-loop', name: 'schema-test', status: 'running' }),
    1000,
    1400
  )
  db.close()
}

describe('event schema versions', () => {
  it('opens a database from before versions: migrates, upcasts old events on read, and rebuilds the stale projections', () => {
    const path = join(dir, 'andon.db')
    oldDatabase(path)
    const store = new TraceStore({ path })
    try {
      const interrupted = store.readStream('old-loop').find((e) => e.type === 'Interrupted')
      expect(interrupted).toMatchObject({ data: { detail: 'Andon stopped while the loop ran iteration 1', lastAliveAt: null } })
      const s = store.loadState('old-loop')
      expect(s).toMatchObject({ status: 'running', iteration: 1, decidingIteration: 1 })
      // Active time: from Started (1100) to the event before the interruption (1200), then running again from 1400.
      expect(s.activeMs).toBe(100)
      expect(store.listLoops()).toMatchObject([{ loopId: 'old-loop', status: 'running', version: 5, activeMs: 100, runningSince: 1400 }])
      expect(store.db.prepare("SELECT value FROM meta WHERE key = 'projections'").get()).toEqual({ value: String(PROJECTION_VERSION) })
      expect(store.db.prepare("SELECT schema FROM events WHERE type = 'Interrupted'").get()).toEqual({ schema: 1 })
    } finally {
      store.close()
    }
  })

  it('writes each event with its schema version, and refuses data from a newer Andon with a clear error', async () => {
    const path = join(dir, 'andon.db')
    const store = new TraceStore({ path })
    try {
      // A new database starts with current projections: nothing to rebuild when it is opened again.
      expect(store.db.prepare("SELECT value FROM meta WHERE key = 'projections'").get()).toEqual({ value: String(PROJECTION_VERSION) })
      await store.append('a', [created, { type: 'Interrupted', data: { detail: 'x', lastAliveAt: 5 } }], 0)
      expect(store.db.prepare('SELECT type, schema FROM events ORDER BY version').all()).toEqual([
        { type: 'LoopCreated', schema: 1 },
        { type: 'Interrupted', schema: 2 }
      ])
      store.db.prepare('INSERT INTO events (loop_id, version, type, data, at, schema) VALUES (?, ?, ?, ?, ?, ?)').run('a', 3, 'Resumed', '{"by":"x"}', 1, 9)
      expect(() => store.readStream('a')).toThrow(/loop a: event 3 cannot be read: Resumed data has schema version 9, newer than this Andon understands/)
    } finally {
      store.close()
    }
  })

  it('a damaged event is a clear error for its loop alone; the rebuild reports it and keeps going', async () => {
    const path = join(dir, 'andon.db')
    const store = new TraceStore({ path })
    try {
      await store.append('good', [created, { type: 'Started', data: {} }], 0)
      await store.append('bad', [created], 0)
      store.db.prepare('INSERT INTO events (loop_id, version, type, data, at) VALUES (?, ?, ?, ?, ?)').run('bad', 2, 'IterationStarted', '{"iteration":"two"}', 1)
      store.db.prepare('UPDATE streams SET version = 2 WHERE loop_id = ?').run('bad')
      let err: unknown
      try {
        store.loadState('bad')
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(CorruptEventError)
      expect((err as Error).message).toBe('loop bad: event 2 cannot be read: IterationStarted: data.iteration: Invalid input: expected number, received string')
      expect(store.loadState('good').status).toBe('running')
      const { rebuilt, failed } = store.rebuildProjections()
      expect(rebuilt).toBe(1)
      expect(failed).toEqual([{ loopId: 'bad', error: expect.stringMatching(/event 2 cannot be read/) }])
      // The bad loop keeps its last good row in the list; the good one is rebuilt.
      expect(store.listLoops().map((l) => l.loopId).sort()).toEqual(['bad', 'good'])
    } finally {
      store.close()
    }
  })

  it('one bad append in a group commit is refused alone: the other loops in the same commit are recorded', async () => {
    const store = new TraceStore({ path: join(dir, 'andon.db') })
    try {
      await Promise.all(['x', 'y', 'z'].map((id) => store.append(id, [created], 0)))
      // Three appends queued in one turn: one commit. The middle one is invalid; z expects a stale version.
      const results = await Promise.allSettled([
        store.append('x', [{ type: 'Started', data: {} }], 1),
        store.append('y', [{ type: 'IterationStarted', data: { iteration: -1 } }], 1),
        store.append('z', [{ type: 'Started', data: {} }], 7),
        store.append('y', [{ type: 'Started', data: {} }], 'any')
      ])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
      expect((results[2] as PromiseRejectedResult).reason.message).toBe('loop z: expected version 7, stream is at 1')
      expect([store.streamVersion('x'), store.streamVersion('y'), store.streamVersion('z')]).toEqual([2, 2, 1])
      expect(store.readStream('y').map((e) => e.type)).toEqual(['LoopCreated', 'Started'])
      // The queue recounts after the refusals: the next appends at the right versions go through.
      await store.append('z', [{ type: 'Started', data: {} }], 1)
      await store.append('y', [{ type: 'Paused', data: { by: 'ana' } }], 2)
      expect(store.loadState('y').status).toBe('paused')
    } finally {
      store.close()
    }
  })

  it('a core starts, recovers and lists its inbox with a damaged loop among the others', async () => {
    const dataDir = tempDir()
    const first = await tempAndon({ dataDir })
    const { spec: stuck, specPath } = exampleSpec('stuck-needs-a-hint')
    const good = await first.supervisor.launch(stuck, { specPath })
    await first.supervisor.settled(good)
    await first.store.append('bad', [created, { type: 'Started', data: {} }], 0)
    first.store.db.prepare('INSERT INTO events (loop_id, version, type, data, at) VALUES (?, ?, ?, ?, ?)').run('bad', 3, 'IterationStarted', '{"iteration":"x"}', 1)
    first.store.db.prepare('UPDATE streams SET version = 3 WHERE loop_id = ?').run('bad')
    await first.close()

    const second = await tempAndon({ dataDir })
    try {
      expect((await second.handlers.listInbox({})).map((i) => [i.loopId, i.kind])).toEqual([[good, 'escalation']])
      expect((await second.handlers.listLoops({})).map((l) => l.loopId).sort()).toEqual(['bad', good].sort())
      expect(() => second.handlers.getLoop({ loopId: 'bad' })).toThrow(/loop bad: event 3 cannot be read/)
    } finally {
      await second.cleanup()
    }
  })
})
