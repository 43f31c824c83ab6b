/**
 * Export loops as one bundle. Events are streamed from the store page by page, redacted,
 * hashed and deflated as they go, so a 100k-event loop never sits in memory as objects.
 * The manifest is written last, once every part's sha256 is known.
 */
import { createHash } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fflate } from '../lazy-packages'
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  type BundleLoop,
  type BundleManifest,
  type Redaction
} from '../../../shared/bundle'
import type { LoopSpec } from '../../../shared/spec'
import { schemaVersionOf } from '../../../shared/upcast'
import type { TraceStore } from '../store/trace-store'
import { Redactor, type RedactionHit, type RedactionOptions } from './redact'

export interface ExportProgress {
  done: number
  total: number
}

export interface ExportOptions {
  loopIds: string[]
  appVersion: string
  redaction?: RedactionOptions
  onProgress?: (p: ExportProgress) => void
  now?: () => Date
}

export class BundleExportError extends Error {}

const FLUSH_BYTES = 256 * 1024
const PROGRESS_EVERY = 1000

export function partName(loopId: string): string {
  return `events/${loopId}.jsonl`
}

/** Loop names must stay valid spec names even when a secret was found in one. */
function safeSpec(spec: LoopSpec, original: LoopSpec): LoopSpec {
  return spec.name === original.name ? spec : { ...spec, name: 'redacted' }
}

/** Stream a bundle of `loopIds` into `sink`; returns the manifest that was written. */
export function writeBundle(store: TraceStore, opts: ExportOptions, sink: (chunk: Uint8Array) => void): BundleManifest {
  const ids = opts.loopIds
  if (ids.length === 0) throw new BundleExportError('nothing to export: give at least one loop id')
  if (new Set(ids).size !== ids.length) throw new BundleExportError('a loop id is listed twice')
  store.flush()
  const versions = ids.map((id) => {
    const v = store.streamVersion(id)
    if (v === 0) throw new BundleExportError(`no loop with id ${id}`)
    return v
  })
  const total = versions.reduce((a, b) => a + b, 0)
  const redactor = new Redactor(opts.redaction)
  const redactions: Redaction[] = []
  const loops: BundleLoop[] = []
  const encoder = new TextEncoder()

  let failure: Error | null = null
  const { Zip, ZipDeflate } = fflate()
  const zip = new Zip((err, chunk) => {
    if (err) failure = err
    else sink(chunk)
  })

  let done = 0
  ids.forEach((loopId, i) => {
    const file = new ZipDeflate(partName(loopId), { level: 6 })
    zip.add(file)
    const hash = createHash('sha256')
    let bytes = 0
    let buffer = ''
    let count = 0
    let spec: LoopSpec | null = null
    let parentLoopId: string | null = null
    const push = (final: boolean) => {
      const data = encoder.encode(buffer)
      buffer = ''
      hash.update(data)
      bytes += data.length
      file.push(data, final)
    }
    for (const ev of store.iterateStream(loopId, { toVersion: versions[i] })) {
      const hits: RedactionHit[] = []
      let data = redactor.redact(ev.data, 'data', hits)
      if (ev.type === 'LoopCreated') {
        const created = data as typeof ev.data
        spec = safeSpec(created.spec, ev.data.spec)
        parentLoopId = created.parentLoopId
        data = { ...created, spec }
      }
      for (const h of hits) redactions.push({ loopId, version: ev.version, path: h.path, rule: h.rule })
      buffer += JSON.stringify({ version: ev.version, at: ev.at, type: ev.type, schema: schemaVersionOf(ev.type), data }) + '\n'
      count += 1
      done += 1
      if (buffer.length >= FLUSH_BYTES) push(false)
      if (done % PROGRESS_EVERY === 0) opts.onProgress?.({ done, total })
    }
    push(true)
    if (!spec) throw new BundleExportError(`loop ${loopId} has no LoopCreated event`)
    const s: LoopSpec = spec
    loops.push({
      loopId,
      name: s.name,
      spec: s,
      parentLoopId,
      eventCount: count,
      part: partName(loopId),
      sha256: hash.digest('hex'),
      bytes
    })
  })

  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    appVersion: opts.appVersion,
    createdAt: (opts.now?.() ?? new Date()).toISOString(),
    loops,
    redactionRules: redactor.ruleNames,
    redactions
  }
  const manifestFile = new ZipDeflate('manifest.json', { level: 6 })
  zip.add(manifestFile)
  manifestFile.push(encoder.encode(JSON.stringify(manifest, null, 2)), true)
  zip.end()
  opts.onProgress?.({ done, total })
  if (failure) throw new BundleExportError(`could not write the bundle: ${(failure as Error).message}`)
  return manifest
}

/** The whole bundle in memory (for the GUI, which hands the bytes to a save dialog). */
export function exportBundleBytes(store: TraceStore, opts: ExportOptions): { bytes: Uint8Array; manifest: BundleManifest } {
  const chunks: Uint8Array[] = []
  const manifest = writeBundle(store, opts, (c) => chunks.push(c))
  return { bytes: Buffer.concat(chunks), manifest }
}

/** Write the bundle to `path` atomically: a half-written file never takes its name. */
export function exportBundleFile(store: TraceStore, path: string, opts: ExportOptions): BundleManifest {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  const fd = openSync(tmp, 'w')
  try {
    const manifest = writeBundle(store, opts, (c) => {
      writeSync(fd, c)
    })
    fsyncSync(fd)
    closeSync(fd)
    renameSync(tmp, path)
    return manifest
  } catch (err) {
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true })
    throw err
  }
}

/** Suggested file name for a bundle of these loops. */
export function bundleFileName(manifest: BundleManifest): string {
  const first = manifest.loops[0]
  const base = manifest.loops.length === 1 ? `${first.name}-${first.loopId}` : `${manifest.loops.length}-loops`
  return `${base.replace(/[^\w.-]+/g, '_')}.andon`
}
