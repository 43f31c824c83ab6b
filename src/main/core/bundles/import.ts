/**
 * Import a bundle. Everything is validated before anything is written: zip structure,
 * manifest, format version, checksums, every event against the schemas, contiguous
 * versions and a clean fold. Then all loops are appended in one transaction, read-only,
 * under new ids when their ids are taken. Hostile input throws BundleImportError and
 * leaves the store exactly as it was.
 */
import { createHash } from 'node:crypto'
import { randomBytes } from 'node:crypto'
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  BundleLineSchema,
  BundleManifestSchema,
  type BundleManifest
} from '../../../shared/bundle'
import { LoopEventSchema, type LoopEvent } from '../../../shared/events'
import { EditableStateSchema } from '../../../shared/patch'
import { upcast } from '../../../shared/upcast'
import { editableState, evolve, initialState, type LoopState } from '../../../shared/state'
import type { TraceStore } from '../store/trace-store'
import { partName } from './export'
import { BundleImportError, DEFAULT_LIMITS, readEntries, type BundleLimits } from './unzip'

export { BundleImportError } from './unzip'

export interface ValidatedLoop {
  loopId: string
  /** With the time each was recorded at, kept on import. */
  events: (LoopEvent & { at: number })[]
  state: LoopState
}

export interface ValidatedBundle {
  manifest: BundleManifest
  loops: ValidatedLoop[]
}

export interface ImportResult {
  manifest: BundleManifest
  /** Loop ids as written to this store, in manifest order. */
  loopIds: string[]
  /** Original id → id in this store (they differ when the original id was taken). */
  renamed: Record<string, string>
}

function issuesText(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ')
}

function parseManifest(bytes: Uint8Array | undefined): BundleManifest {
  if (!bytes) throw new BundleImportError('the bundle has no manifest.json')
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'))
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

function parseEvents(loopId: string, text: string): ValidatedLoop {
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const events: (LoopEvent & { at: number })[] = []
  let state = initialState(loopId)
  lines.forEach((line, i) => {
    const where = `loop ${loopId}, line ${i + 1}`
    let raw: unknown
    try {
      raw = JSON.parse(line)
    } catch {
      throw new BundleImportError(`${where}: not valid JSON`)
    }
    const shape = BundleLineSchema.safeParse(raw)
    if (!shape.success) throw new BundleImportError(`${where}: ${issuesText(shape.error.issues)}`)
    const { version, at, type, schema } = shape.data
    if (version !== i + 1) throw new BundleImportError(`${where}: version ${version} where ${i + 1} was expected (versions must run 1, 2, 3…)`)
    let data: unknown
    try {
      data = upcast(type, schema ?? 1, shape.data.data)
    } catch (err) {
      throw new BundleImportError(`${where} (${type}): ${(err as Error).message}`)
    }
    const ev = LoopEventSchema.safeParse({ type, data })
    if (!ev.success) throw new BundleImportError(`${where} (${type}): ${issuesText(ev.error.issues)}`)
    if ((version === 1) !== (ev.data.type === 'LoopCreated')) {
      throw new BundleImportError(`${where}: a loop starts with exactly one LoopCreated event`)
    }
    state = evolve(state, { ...ev.data, loopId, version, at })
    // The fold never throws: the state it reaches is what is checked, after every event that edits it.
    const editable = type === 'LoopCreated' || type === 'StatePatched' ? EditableStateSchema.safeParse(editableState(state)) : null
    if (editable && !editable.success) {
      throw new BundleImportError(`${where} (${type}): the events do not fold to a valid state: ${issuesText(editable.error.issues)}`)
    }
    events.push({ ...ev.data, at })
  })
  if (events.length === 0) throw new BundleImportError(`loop ${loopId} has no events`)
  return { loopId, events, state }
}

/** Read and check a whole bundle without touching any store. */
export function validateBundle(bytes: Uint8Array, limits: BundleLimits = DEFAULT_LIMITS): ValidatedBundle {
  const entries = readEntries(bytes, limits)
  const manifest = parseManifest(entries.get('manifest.json'))
  const ids = new Set<string>()
  for (const l of manifest.loops) {
    if (ids.has(l.loopId)) throw new BundleImportError(`loop ${l.loopId} is listed twice in the manifest`)
    ids.add(l.loopId)
    if (l.part !== partName(l.loopId)) throw new BundleImportError(`loop ${l.loopId}: its part must be named ${partName(l.loopId)}`)
    if (!entries.has(l.part)) throw new BundleImportError(`loop ${l.loopId}: ${l.part} is missing from the bundle`)
  }
  for (const name of entries.keys()) {
    if (name !== 'manifest.json' && !manifest.loops.some((l) => l.part === name)) {
      throw new BundleImportError(`entry ${name} is not listed in the manifest`)
    }
  }
  const loops = manifest.loops.map((l) => {
    const part = entries.get(l.part)!
    const sha = createHash('sha256').update(part).digest('hex')
    if (sha !== l.sha256) throw new BundleImportError(`loop ${l.loopId}: checksum mismatch for ${l.part} (the file was changed or damaged)`)
    if (part.length !== l.bytes) throw new BundleImportError(`loop ${l.loopId}: ${l.part} is ${part.length} bytes, the manifest says ${l.bytes}`)
    const loop = parseEvents(l.loopId, Buffer.from(part).toString('utf8'))
    if (loop.events.length !== l.eventCount) {
      throw new BundleImportError(`loop ${l.loopId}: ${loop.events.length} events, the manifest says ${l.eventCount}`)
    }
    return loop
  })
  return { manifest, loops }
}

function freshId(original: string, taken: (id: string) => boolean): string {
  const base = original.slice(0, 80)
  for (;;) {
    const id = `${base}-imp-${randomBytes(3).toString('hex')}`
    if (!taken(id)) return id
  }
}

/** Rewrite ids that point inside the bundle, and mark every loop read-only. */
function rewrite<E extends LoopEvent>(ev: E, ids: Map<string, string>): E {
  if (ev.type === 'LoopCreated') {
    const d = ev.data
    const policy = d.spec.policy.kind === 'replay' && ids.has(d.spec.policy.sourceLoopId)
      ? { ...d.spec.policy, sourceLoopId: ids.get(d.spec.policy.sourceLoopId)! }
      : d.spec.policy
    // A parent outside the bundle does not exist here; the fork's start state carries what it needs.
    const parentLoopId = d.parentLoopId && ids.has(d.parentLoopId) ? ids.get(d.parentLoopId)! : null
    return { ...ev, data: { ...d, spec: { ...d.spec, policy }, parentLoopId, readOnly: true } }
  }
  if (ev.type === 'Forked' && ids.has(ev.data.childLoopId)) {
    return { ...ev, data: { ...ev.data, childLoopId: ids.get(ev.data.childLoopId)! } }
  }
  return ev
}

/** Validate, then write every loop of the bundle in one transaction. */
export async function importBundle(store: TraceStore, bytes: Uint8Array, limits: BundleLimits = DEFAULT_LIMITS): Promise<ImportResult> {
  const bundle = validateBundle(bytes, limits)
  store.flush()
  const ids = new Map<string, string>()
  const used = new Set<string>()
  const taken = (id: string) => used.has(id) || store.streamVersion(id) > 0
  for (const l of bundle.loops) {
    const id = taken(l.loopId) ? freshId(l.loopId, taken) : l.loopId
    used.add(id)
    ids.set(l.loopId, id)
  }
  // Queued together and flushed at once: the store commits the whole batch in one transaction.
  const writes = bundle.loops.map((l) => store.append(ids.get(l.loopId)!, l.events.map((e) => rewrite(e, ids)), 0))
  store.flush()
  try {
    await Promise.all(writes)
  } catch (err) {
    throw new BundleImportError(`the bundle could not be written; nothing was imported: ${(err as Error).message}`)
  }
  const renamed: Record<string, string> = {}
  for (const [from, to] of ids) if (from !== to) renamed[from] = to
  return { manifest: bundle.manifest, loopIds: [...ids.values()], renamed }
}
