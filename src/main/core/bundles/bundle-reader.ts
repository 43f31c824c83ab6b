/**
 * Read and check a whole bundle as a stream: the directory and the manifest first, then each
 * loop's part in manifest order, handing out checked events in chunks as they are read. The
 * caller stages the chunks and publishes them only once the generator returns: a failure at
 * any point (the last line of the last part included) throws BundleImportError.
 */
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  BundleManifestSchema,
  type BundleManifest
} from '../../../shared/bundle'
import type { LoopState } from '../../../shared/state'
import type { ByteSource } from './byte-source'
import { partName } from './export'
import { issuesText, type IdMap } from './event-checks'
import { PartReader } from './part-reader'
import type { StagedChunk } from './staging'
import { BundleImportError, DEFAULT_LIMITS, inflateEntry, MANIFEST, readDirectory, type BundleLimits, type ZipEntry } from './unzip'

export type ReadStep = { kind: 'manifest'; manifest: BundleManifest } | { kind: 'chunk'; chunk: StagedChunk }

export interface ReadLoop {
  /** The loop's id in the store. */
  loopId: string
  state: LoopState
}

export interface ReadResult {
  manifest: BundleManifest
  loops: ReadLoop[]
}

export interface ReadOptions {
  limits?: BundleLimits
  /** How often a fold snapshot is saved (the store's own interval). */
  snapshotEvery?: number
}

/** Names a bundle may not use as loop ids: they mean something to every JavaScript object. */
const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype'])

function parseManifest(bytes: Uint8Array): BundleManifest {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new BundleImportError('manifest.json is not valid UTF-8')
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new BundleImportError(`manifest.json is not valid JSON: ${(err as Error).message}`)
  }
  const head = raw as { format?: unknown; formatVersion?: unknown }
  if (head?.format !== BUNDLE_FORMAT) throw new BundleImportError('manifest.json is not an Andon bundle manifest')
  if (head.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new BundleImportError(
      `unknown bundle format version ${JSON.stringify(head.formatVersion)}; this Andon reads version ${BUNDLE_FORMAT_VERSION}`
    )
  }
  const parsed = BundleManifestSchema.safeParse(raw)
  if (!parsed.success) throw new BundleImportError(`manifest.json is invalid: ${issuesText(parsed.error.issues)}`)
  return parsed.data
}

/** Every loop's part is in the zip, with the size the manifest says; nothing else is. */
function checkListing(manifest: BundleManifest, entries: Map<string, ZipEntry>): void {
  const ids = new Set<string>()
  for (const l of manifest.loops) {
    if (RESERVED_IDS.has(l.loopId)) throw new BundleImportError(`loop id ${l.loopId} is not allowed`)
    if (ids.has(l.loopId)) throw new BundleImportError(`loop ${l.loopId} is listed twice in the manifest`)
    ids.add(l.loopId)
    if (l.part !== partName(l.loopId)) throw new BundleImportError(`loop ${l.loopId}: its part must be named ${partName(l.loopId)}`)
    const entry = entries.get(l.part)
    if (!entry) throw new BundleImportError(`loop ${l.loopId}: ${l.part} is missing from the bundle`)
    if (entry.originalSize !== l.bytes) throw new BundleImportError(`loop ${l.loopId}: ${l.part} is ${entry.originalSize} bytes, the manifest says ${l.bytes}`)
  }
  const parts = new Set(manifest.loops.map((l) => l.part))
  for (const name of entries.keys()) {
    if (name !== MANIFEST && !parts.has(name)) throw new BundleImportError(`entry ${name} is not listed in the manifest`)
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
}

/**
 * Yields the manifest first: the caller answers with the ids the loops get in the store
 * (the original ids when it answers nothing). Then yields chunks of checked events.
 */
export function* readBundle(source: ByteSource, opts: ReadOptions = {}): Generator<ReadStep, ReadResult, IdMap | undefined> {
  const limits = opts.limits ?? DEFAULT_LIMITS
  const entries = readDirectory(source, limits)
  const counted = { total: 0 }
  const manifestEntry = entries.get(MANIFEST)
  if (!manifestEntry) throw new BundleImportError('the bundle has no manifest.json')
  const manifest = parseManifest(concat([...inflateEntry(source, manifestEntry, counted, limits)]))
  checkListing(manifest, entries)
  const ids: IdMap = (yield { kind: 'manifest', manifest }) ?? new Map(manifest.loops.map((l) => [l.loopId, l.loopId]))
  const loops: ReadLoop[] = []
  for (const l of manifest.loops) {
    const part = new PartReader(l, ids, opts.snapshotEvery ?? 1000, limits.maxLineBytes)
    for (const bytes of inflateEntry(source, entries.get(l.part)!, counted, limits)) {
      for (const chunk of part.push(bytes)) yield { kind: 'chunk', chunk }
    }
    for (const chunk of part.end()) yield { kind: 'chunk', chunk }
    loops.push({ loopId: part.storeId, state: part.state })
  }
  return { manifest, loops }
}
