/**
 * Import a bundle, streamed: it is read and checked a chunk at a time (zip structure, manifest,
 * format version, checksums, every event against the schemas, contiguous versions, a clean
 * fold), off this thread for anything but small bundles. Checked chunks are staged in short
 * transactions where nothing reads them; the loops appear, read-only and under new ids when
 * their ids are taken, only once the whole bundle has passed. Hostile input throws
 * BundleImportError and leaves the store exactly as it was.
 */
import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import type { BundleManifest } from '../../../shared/bundle'
import type { TraceStore } from '../store/trace-store'
import { bytesSource, fileSource } from './byte-source'
import { readBundle, type ReadResult } from './bundle-reader'
import { runHere, runInWorker, type BundleRun } from './import-run'
import { written, type StagedImport } from './staging'
import { BundleImportError, DEFAULT_LIMITS, type BundleLimits } from './unzip'

export { BundleImportError } from './unzip'

export type ValidatedBundle = ReadResult

export interface ImportResult {
  manifest: BundleManifest
  /** Loop ids as written to this store, in manifest order. */
  loopIds: string[]
  /** Original id → id in this store (they differ when the original id was taken). */
  renamed: Record<string, string>
}

/** Below this size a bundle is read on this thread: starting a worker would cost more than reading it. */
const SMALL_BUNDLE_BYTES = 256 * 1024

/** The largest bundle file accepted: a zip is never much larger than what it unpacks to. */
export function maxBundleBytes(limits: BundleLimits = DEFAULT_LIMITS): number {
  return limits.maxTotalBytes
}

/** Imports this process is running, by token: any other recorded in the store as ours was cut off. */
const running = new Set<string>()

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Remove a failed import's staged rows a chunk at a time, letting other work run between. */
async function discard(store: TraceStore, imp: StagedImport): Promise<void> {
  while (!store.discardImport(imp)) await new Promise((resolve) => setImmediate(resolve))
}

/** Imports whose process died (or was this one, before a restart) leave nothing behind either. */
async function discardAbandoned(store: TraceStore): Promise<void> {
  for (const imp of store.importsUnderWay()) {
    const abandoned = imp.pid === process.pid ? !running.has(imp.token) : !alive(imp.pid)
    if (abandoned) await discard(store, imp)
  }
}

function freshId(original: string, taken: (id: string) => boolean): string {
  const base = original.slice(0, 80)
  for (;;) {
    const id = `${base}-imp-${randomBytes(3).toString('hex')}`
    if (!taken(id)) return id
  }
}

function chooseIds(store: TraceStore, manifest: BundleManifest): Map<string, string> {
  const ids = new Map<string, string>()
  const used = new Set<string>()
  const taken = (id: string) => used.has(id) || store.loopIdTaken(id)
  for (const l of manifest.loops) {
    const id = taken(l.loopId) ? freshId(l.loopId, taken) : l.loopId
    used.add(id)
    ids.set(l.loopId, id)
  }
  return ids
}

function renamedOf(ids: Map<string, string>): Record<string, string> {
  // Keys come from the bundle: no prototype for one of them to reach.
  const renamed = Object.create(null) as Record<string, string>
  for (const [from, to] of ids) if (from !== to) renamed[from] = to
  return renamed
}

/** Drive a reader: stage each chunk as it comes, publish at the end, discard everything on failure. */
async function stageAll(store: TraceStore, run: BundleRun): Promise<ImportResult> {
  let imp: StagedImport | null = null
  let published = false
  try {
    let step = await run.next()
    if (step.done || step.value.kind !== 'manifest') throw new Error('the bundle reader skipped the manifest')
    const manifest = step.value.manifest
    store.flush()
    await discardAbandoned(store)
    const ids = chooseIds(store, manifest)
    imp = { token: randomBytes(8).toString('hex'), pid: process.pid, loopIds: [...ids.values()], startedAt: Date.now() }
    running.add(imp.token)
    store.beginImport(imp)
    step = await run.next(ids)
    while (!step.done) {
      const { value } = step
      if (value.kind === 'chunk') written(() => store.stageImport(value.chunk))
      step = await run.next()
    }
    const { loops } = step.value
    const token = imp.token
    written(() => store.publishImport(token, loops))
    published = true
    return { manifest, loopIds: [...ids.values()], renamed: renamedOf(ids) }
  } finally {
    // The reader is stopped first: nothing may still be writing while a failed import is undone.
    await run.stop()
    if (imp && !published) await discard(store, imp)
    if (imp) running.delete(imp.token)
  }
}

export interface ImportOptions {
  /** Where the bundle is read: 'auto' keeps small bundles on this thread. */
  readOn?: 'auto' | 'worker' | 'here'
  /** The better-sqlite3 binary the store was opened with, for the worker's own connection. */
  nativeBinding?: string
}

/** Run the reader on a worker (which stages chunks through its own connection) or here. */
function reader(store: TraceStore, input: { path: string } | { bytes: Uint8Array }, size: number, limits: BundleLimits, opts: ImportOptions): BundleRun {
  const options = { limits, snapshotEvery: store.snapshotInterval() }
  const here = () => runHere('path' in input ? fileSource(input.path) : bytesSource(input.bytes), options)
  const on = opts.readOn ?? 'auto'
  if (on === 'here' || (on === 'auto' && size < SMALL_BUNDLE_BYTES)) return here()
  return runInWorker({ ...input, options, store: { path: store.db.name, nativeBinding: opts.nativeBinding } }) ?? here()
}

/** Import a bundle file; it is read a slice at a time and never held in memory whole. */
export async function importBundleFile(store: TraceStore, path: string, limits: BundleLimits = DEFAULT_LIMITS, opts: ImportOptions = {}): Promise<ImportResult> {
  let size: number
  try {
    size = statSync(path).size
  } catch (err) {
    throw new BundleImportError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  if (size > maxBundleBytes(limits)) throw new BundleImportError(`the bundle is ${size} bytes; the largest accepted is ${maxBundleBytes(limits)}`)
  return stageAll(store, reader(store, { path }, size, limits, opts))
}

/** Import a bundle held in memory (the desktop app hands over the file's bytes). */
export async function importBundle(store: TraceStore, bytes: Uint8Array, limits: BundleLimits = DEFAULT_LIMITS, opts: ImportOptions = {}): Promise<ImportResult> {
  if (bytes.length > maxBundleBytes(limits)) throw new BundleImportError(`the bundle is ${bytes.length} bytes; the largest accepted is ${maxBundleBytes(limits)}`)
  return stageAll(store, reader(store, { bytes }, bytes.length, limits, opts))
}

/** Read and check a whole bundle without touching any store. */
export function validateBundle(bytes: Uint8Array, limits: BundleLimits = DEFAULT_LIMITS): ValidatedBundle {
  const reader = readBundle(bytesSource(bytes), { limits })
  let step = reader.next()
  while (!step.done) step = reader.next()
  return step.value
}
