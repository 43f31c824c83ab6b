/**
 * A streamed import writes checked chunks as it reads, so what it wrote must go again when the
 * bundle turns out bad later on, or when writing fails: an empty store stays empty, a store
 * with loops stays exactly as it was, and no reader ever sees a half-imported loop.
 */
import { describe, expect, it } from 'vitest'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { importBundle, BundleImportError, type ImportOptions } from '../../src/main/core/bundles/import'
import { DEFAULT_LIMITS } from '../../src/main/core/bundles/unzip'
import type { LoopEventInput } from '../../src/shared/events'
import { sampleLoopEvents, sampleSteps, type TempStore } from '../fixtures/bundles/sample-loop'
import { tempStoresPerTest } from '../support/temp-per-test'
import { buildBundle, dumpStore, linesOf, partBytes, rowCounts } from '../support/bundle-builder'
import { writeLargeBundle } from '../support/large-bundle'
import { until } from '../support/temp-andon'

const newStore = tempStoresPerTest()

/** A loop long enough to be written in several chunks (about 2,000 events). */
function longLoop(): LoopEventInput[] {
  const steps = Array.from({ length: 250 }, (_, i) => ({ ...sampleSteps[i % 2], iteration: i + 1 }))
  return sampleLoopEvents(undefined, steps)
}

/** Two long loops; `spoil` edits the last lines of the second, so the failure is found at the very end. */
function bundleFailingLate(spoil: (lines: Record<string, unknown>[]) => Uint8Array | void): Uint8Array {
  const last = linesOf(longLoop()) as Record<string, unknown>[]
  const bytes = spoil(last) ?? partBytes(last)
  return buildBundle([{ loopId: 'first', lines: linesOf(longLoop()) }, { loopId: 'second', bytes, eventCount: last.length }])
}

const late: [string, () => Uint8Array, RegExp][] = [
  [
    'an event that does not validate on the last line',
    () => bundleFailingLate((lines) => void ((lines.at(-1)!.data as { reason: string }).reason = 'BORED')),
    /loop second, line \d+ \(Terminated\): data.reason/
  ],
  [
    'a checksum that does not match the last part',
    () => withWrongChecksum(bundleFailingLate(() => undefined)),
    /checksum mismatch for events\/second.jsonl/
  ],
  [
    'bytes that are not UTF-8 at the end of the last part',
    () =>
      bundleFailingLate((lines) => {
        const text = partBytes(lines)
        const bad = new Uint8Array(text.length + 2)
        bad.set(text)
        bad.set([0xc3, 0x28], text.length - 1) // a lead byte followed by "(": never valid UTF-8
        return bad
      }),
    /loop second: events\/second.jsonl is not valid UTF-8/
  ]
]

/** The same bundle with the last part's recorded checksum changed. */
function withWrongChecksum(bytes: Uint8Array): Uint8Array {
  const files = unzipSync(bytes)
  const manifest = JSON.parse(strFromU8(files['manifest.json']))
  manifest.loops[1].sha256 = '0'.repeat(64)
  files['manifest.json'] = strToU8(JSON.stringify(manifest))
  return zipSync(files)
}

/** Import while another reader watches: the most rows staged at once, and every loop listing it saw. */
async function watched(t: TempStore, bytes: Uint8Array, opts: ImportOptions): Promise<{ outcome: unknown; staged: number; listings: Set<string> }> {
  const count = () => (t.store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n
  const before = count()
  let staged = 0
  const listings = new Set<string>()
  const timer = setInterval(() => {
    staged = Math.max(staged, count() - before)
    listings.add(JSON.stringify(t.store.listLoops().map((l) => `${l.loopId}@${l.version}`)))
  }, 2)
  try {
    const outcome = await importBundle(t.store, bytes, DEFAULT_LIMITS, opts).catch((e: unknown) => e)
    return { outcome, staged, listings }
  } finally {
    clearInterval(timer)
  }
}

async function refused(t: TempStore, bytes: Uint8Array, message: RegExp, readOn: ImportOptions['readOn']): Promise<void> {
  const { outcome, staged } = await watched(t, bytes, { readOn })
  expect(outcome).toBeInstanceOf(BundleImportError)
  expect((outcome as Error).message).toMatch(message)
  // Chunks were written before the failure was found: they had to be taken back.
  expect(staged).toBeGreaterThan(1000)
}

describe('a bundle that fails late leaves nothing behind', () => {
  for (const readOn of ['worker', 'here'] as const) {
    it.each(late)(`${readOn}: %s, into an empty store`, async (_name, make, message) => {
      const t = newStore()
      await refused(t, make(), message, readOn)
      expect(t.store.listLoops()).toEqual([])
      expect(rowCounts(t.store)).toEqual({ events: 0, streams: 0, loops: 0, iterations: 0, snapshots: 0, meta: 0 })
    })
  }

  it.each(late)('worker: %s, into a store with loops: it is exactly as before', async (_name, make, message) => {
    const t = newStore()
    t.store.appendSync('existing', longLoop(), 0)
    const before = dumpStore(t.store)
    await refused(t, make(), message, 'worker')
    expect(dumpStore(t.store)).toEqual(before)
  })

  it.each(['worker', 'here'] as const)('%s: a write that fails half way: nothing of the bundle stays', async (readOn) => {
    const t = newStore()
    t.store.appendSync('existing', sampleLoopEvents(), 0)
    const before = dumpStore(t.store)
    // SQLite refuses the second loop's later events, as it would on a full disk.
    t.store.db.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON events WHEN NEW.loop_id = 'second' AND NEW.version > 1500
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
    const bundle = buildBundle([{ loopId: 'first', lines: linesOf(longLoop()) }, { loopId: 'second', lines: linesOf(longLoop()) }])
    await refused(t, bundle, /could not be written; nothing was imported: database or disk is full/, readOn)
    t.store.db.exec('DROP TRIGGER disk_full')
    expect(dumpStore(t.store)).toEqual(before)
  })

  it.each(['worker', 'here'] as const)('%s: a reader sees no loop of the bundle until all of it is in', async (readOn) => {
    const t = newStore()
    const pushed: string[] = []
    t.store.subscribe((events) => pushed.push(...events.map((e) => `${e.loopId}@${e.version}`)))
    const bundle = buildBundle([{ loopId: 'first', lines: linesOf(longLoop()) }, { loopId: 'second', lines: linesOf(longLoop()) }])
    const { outcome, staged, listings } = await watched(t, bundle, { readOn })
    expect((outcome as { loopIds: string[] }).loopIds).toEqual(['first', 'second'])
    expect(staged).toBeGreaterThan(1000)
    const count = longLoop().length
    const whole = JSON.stringify([`first@${count}`, `second@${count}`].sort())
    expect([...listings].map((l) => JSON.stringify((JSON.parse(l) as string[]).sort())).filter((l) => l !== '[]' && l !== whole)).toEqual([])
    expect(listings).toContain('[]')
    expect(t.store.readStream('second')).toHaveLength(count)
    // Subscribers (the web shell's push) hear of each new loop once, at its newest event.
    expect(pushed.sort()).toEqual([`first@${count}`, `second@${count}`])
    // The loop list and iteration rows written chunk by chunk are the ones a full rebuild writes.
    const { loops, iterations } = dumpStore(t.store)
    const state = t.store.loadState('second')
    t.store.rebuildProjections()
    expect(dumpStore(t.store)).toMatchObject({ loops, iterations })
    expect(t.store.loadState('second')).toEqual(state)
  })
})

describe('an import cut off by a crash', () => {
  it('is invisible, and the next import removes what it had staged', async () => {
    const t = newStore()
    const big = writeLargeBundle(join(t.dir, 'big.andon'), { loops: 2, iterationsPerLoop: 1500, outputChars: 4000 })
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/import-child.ts', t.dir, big.path], { stdio: 'ignore' })
    try {
      const staged = () => (t.store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n
      await until(() => staged() > 2000, 20_000, 'the child to stage events')
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
      expect(t.store.listLoops()).toEqual([])
      expect(t.store.loopIds()).toEqual([])
      expect(t.store.importsUnderWay()).toHaveLength(1)

      const { loopIds } = await importBundle(t.store, buildBundle([{ loopId: 'after', lines: linesOf(sampleLoopEvents()) }]))
      expect(loopIds).toEqual(['after'])
      expect(t.store.importsUnderWay()).toEqual([])
      expect(rowCounts(t.store)).toMatchObject({ events: sampleLoopEvents().length, streams: 1, loops: 1, meta: 0 })
    } finally {
      child.kill('SIGKILL')
    }
  }, 60_000)
})
