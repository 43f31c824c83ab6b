/**
 * One loop's part (`events/<loopId>.jsonl`) read as its bytes come out of the zip: hashed,
 * decoded as strict UTF-8, split into lines, and every line checked against the schemas and
 * folded. Checked events are handed out in chunks, ready to stage in the store.
 */
import { createHash, type Hash } from 'node:crypto'
import { BundleLineSchema, type BundleLoop } from '../../../shared/bundle'
import { LoopEventSchema, type LoopEvent } from '../../../shared/events'
import { foldIterationRow, type IterationRow } from '../../../shared/iterations'
import { evolve, initialState, type LoopState } from '../../../shared/state'
import { schemaVersionOf, upcast } from '../../../shared/upcast'
import { checkEditable, checkFolded, issuesText, rewrite, type IdMap } from './event-checks'
import type { StagedChunk } from './staging'
import { BundleImportError } from './unzip'

const CHUNK_EVENTS = 1000
const CHUNK_CHARS = 1024 * 1024
/** The latest time a Date can hold. */
const MAX_TIME = 8.64e15

/** Lines across chunk boundaries, without rejoining a long line more than once. */
class Lines {
  private pieces: string[] = []
  private pending = 0

  constructor(private readonly maxChars: number) {}

  *push(text: string): Generator<string> {
    let start = 0
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.grow(nl - start)
      this.pieces.push(text.slice(start, nl))
      yield this.take()
      start = nl + 1
    }
    if (start < text.length) {
      this.grow(text.length - start)
      this.pieces.push(text.slice(start))
    }
  }

  /** What follows the last newline (a last line without one is still a line). */
  rest(): string {
    return this.take()
  }

  private grow(chars: number): void {
    this.pending += chars
    if (this.pending > this.maxChars) throw new BundleImportError(`longer than ${this.maxChars} characters`)
  }

  private take(): string {
    const line = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('')
    this.pieces = []
    this.pending = 0
    return line
  }
}

export class PartReader {
  state: LoopState
  private readonly hash: Hash = createHash('sha256')
  private readonly decoder = new TextDecoder('utf-8', { fatal: true })
  private readonly lines: Lines
  private bytes = 0
  private count = 0
  /** A line that failed; hashing goes on to the end so a damaged file is reported as damaged. */
  private failure: BundleImportError | null = null
  private readonly rows: IterationRow[] = []
  private chunk: StagedChunk
  private chunkChars = 0
  private touched = new Set<IterationRow>()

  constructor(
    private readonly loop: BundleLoop,
    private readonly ids: IdMap,
    private readonly snapshotEvery: number,
    maxLineChars: number
  ) {
    this.state = initialState(this.storeId)
    this.lines = new Lines(maxLineChars)
    this.chunk = this.emptyChunk()
  }

  get storeId(): string {
    return this.ids.get(this.loop.loopId) ?? this.loop.loopId
  }

  /** Read the next bytes of the part; yields each chunk as it fills. */
  *push(bytes: Uint8Array): Generator<StagedChunk> {
    this.hash.update(bytes)
    this.bytes += bytes.length
    if (this.failure) return
    try {
      for (const line of this.lines.push(this.decode(bytes, true))) {
        this.line(line)
        if (this.chunk.events.length >= CHUNK_EVENTS || this.chunkChars >= CHUNK_CHARS) yield this.take()
      }
    } catch (err) {
      this.fail(err)
    }
  }

  /** The part is read: everything the manifest promised is checked. Yields the last chunk. */
  *end(): Generator<StagedChunk> {
    const { loopId, part } = this.loop
    if (this.hash.digest('hex') !== this.loop.sha256) throw new BundleImportError(`loop ${loopId}: checksum mismatch for ${part} (the file was changed or damaged)`)
    if (this.bytes !== this.loop.bytes) throw new BundleImportError(`loop ${loopId}: ${part} is ${this.bytes} bytes, the manifest says ${this.loop.bytes}`)
    if (!this.failure) {
      try {
        // Throws when the part ends inside a character.
        this.decode(new Uint8Array(0), false)
        const last = this.lines.rest()
        if (last !== '') this.line(last)
      } catch (err) {
        this.fail(err)
      }
    }
    if (this.failure) throw this.failure
    if (this.count === 0) throw new BundleImportError(`loop ${loopId} has no events`)
    if (this.count !== this.loop.eventCount) throw new BundleImportError(`loop ${loopId}: ${this.count} events, the manifest says ${this.loop.eventCount}`)
    checkFolded(this.state, `loop ${loopId}`)
    // The newest state is saved too, so the store never folds an imported loop from far back.
    this.chunk.snapshots.push([this.state.version, JSON.stringify(this.state)])
    yield this.take()
  }

  private fail(err: unknown): void {
    if (!(err instanceof BundleImportError)) throw err
    this.failure = err.message.startsWith('loop ') ? err : new BundleImportError(`loop ${this.loop.loopId}, line ${this.count + 1}: ${err.message}`)
  }

  private take(): StagedChunk {
    for (const row of this.touched) this.chunk.iterations.push([row.iteration, JSON.stringify(row)])
    const out = this.chunk
    this.chunk = this.emptyChunk()
    this.chunkChars = 0
    this.touched = new Set()
    // Only the newest row can still change.
    if (this.rows.length > 1) this.rows.splice(0, this.rows.length - 1)
    return out
  }

  private decode(bytes: Uint8Array, stream: boolean): string {
    try {
      return this.decoder.decode(bytes, { stream })
    } catch {
      throw new BundleImportError(`loop ${this.loop.loopId}: ${this.loop.part} is not valid UTF-8`)
    }
  }

  private line(text: string): void {
    const n = this.count + 1
    const where = `loop ${this.loop.loopId}, line ${n}`
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      throw new BundleImportError(`${where}: not valid JSON`)
    }
    const shape = BundleLineSchema.safeParse(raw)
    if (!shape.success) throw new BundleImportError(`${where}: ${issuesText(shape.error.issues)}`)
    const { version, at, type, schema } = shape.data
    if (version !== n) throw new BundleImportError(`${where}: version ${version} where ${n} was expected (versions must run 1, 2, 3…)`)
    if (at < 0 || at > MAX_TIME) throw new BundleImportError(`${where}: at ${at} is not a time`)
    let data: unknown
    try {
      data = upcast(type, schema ?? 1, shape.data.data)
    } catch (err) {
      throw new BundleImportError(`${where} (${type}): ${(err as Error).message}`)
    }
    const parsed = LoopEventSchema.safeParse({ type, data })
    if (!parsed.success) throw new BundleImportError(`${where} (${type}): ${issuesText(parsed.error.issues)}`)
    if ((version === 1) !== (parsed.data.type === 'LoopCreated')) {
      throw new BundleImportError(`${where}: a loop starts with exactly one LoopCreated event`)
    }
    const stored = { ...rewrite(parsed.data, this.ids), loopId: this.storeId, version, at }
    this.state = evolve(this.state, stored)
    if (type === 'LoopCreated' || type === 'StatePatched') checkEditable(this.state, `${where} (${type})`)
    if (type === 'LoopCreated') checkFolded(this.state, `${where} (${type})`)
    this.count = n
    this.stage(stored)
  }

  private stage(ev: LoopEvent & { version: number; at: number }): void {
    const json = JSON.stringify(ev.data)
    this.chunk.events.push({ version: ev.version, type: ev.type, json, at: ev.at, schema: schemaVersionOf(ev.type) })
    this.chunkChars += json.length
    const row = foldIterationRow(this.rows, ev)
    if (row) this.touched.add(row)
    if (ev.version % this.snapshotEvery === 0) this.chunk.snapshots.push([ev.version, JSON.stringify(this.state)])
  }

  private emptyChunk(): StagedChunk {
    return { loopId: this.storeId, events: [], iterations: [], snapshots: [] }
  }
}
