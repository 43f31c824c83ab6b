/**
 * Build bundles by hand in tests, hostile ones included: each part is given as event lines
 * (or raw bytes) and the manifest is made consistent with it (sha256, byte count, event count),
 * so only the deeper checks of an import can catch what is wrong.
 */
import { createHash } from 'node:crypto'
import { strToU8, zipSync } from 'fflate'
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type BundleLoop } from '../../src/shared/bundle'
import type { LoopEventInput } from '../../src/shared/events'
import { LoopSpecSchema } from '../../src/shared/spec'
import type { TraceStore } from '../../src/main/core/store/trace-store'
import { sampleSpec } from '../fixtures/bundles/sample-loop'

export interface PartInput {
  loopId: string
  /** The part's lines as objects; or `bytes` for the raw part. */
  lines?: object[]
  bytes?: Uint8Array
  /** Defaults to the number of lines. */
  eventCount?: number
}

/** Events as bundle lines: versions 1, 2, 3…, recorded a second apart. */
export function linesOf(events: LoopEventInput[]): object[] {
  return events.map((e, i) => ({ version: i + 1, at: 1_700_000_000_000 + i * 1000, type: e.type, schema: 1, data: e.data }))
}

export function partBytes(lines: object[]): Uint8Array {
  return strToU8(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
}

export function buildBundle(parts: PartInput[], editManifest: (m: Record<string, unknown>) => void = () => undefined): Uint8Array {
  const spec = LoopSpecSchema.parse(sampleSpec)
  const files: Record<string, Uint8Array> = {}
  const loops: BundleLoop[] = parts.map((p) => {
    const bytes = p.bytes ?? partBytes(p.lines ?? [])
    const part = `events/${p.loopId}.jsonl`
    files[part] = bytes
    return {
      loopId: p.loopId,
      name: spec.name,
      spec,
      parentLoopId: null,
      eventCount: p.eventCount ?? p.lines?.length ?? 1,
      part,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length
    }
  })
  const manifest = { format: BUNDLE_FORMAT, formatVersion: BUNDLE_FORMAT_VERSION, appVersion: 'test', createdAt: '2026-01-01T00:00:00.000Z', loops, redactionRules: [], redactions: [] }
  editManifest(manifest)
  files['manifest.json'] = strToU8(JSON.stringify(manifest))
  return zipSync(files)
}

const TABLES = ['events', 'streams', 'loops', 'iterations', 'snapshots', 'meta']

/** Every row the store keeps about loops, to compare a store before and after. */
export function dumpStore(store: TraceStore): Record<string, unknown[]> {
  store.flush()
  return Object.fromEntries(TABLES.map((t) => [t, store.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]))
}

/** Row counts per table, leaving out the meta row every store has. */
export function rowCounts(store: TraceStore): Record<string, number> {
  const dump = dumpStore(store)
  return Object.fromEntries(TABLES.map((t) => [t, dump[t].filter((r) => (r as { key?: string }).key !== 'projections').length]))
}
