/**
 * Write a large, valid bundle straight to a file (no store behind it): loops of many
 * iterations whose tool output is partly random, so it compresses like real logs, not like zeros.
 */
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, openSync, writeSync } from 'node:fs'
import { crc32, deflateRawSync } from 'node:zlib'
import { Zip, type ZipInputFile } from 'fflate'
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type BundleLoop } from '../../src/shared/bundle'
import { LoopSpecSchema } from '../../src/shared/spec'
import { iterationEvents, sampleSpec } from '../fixtures/bundles/sample-loop'

export interface LargeBundleOptions {
  loops: number
  iterationsPerLoop: number
  /** Characters of tool output per iteration. */
  outputChars: number
  /** One output line in this many is random (default 8): lower compresses worse. */
  randomEvery?: number
  /** Loop ids get this prefix. */
  prefix?: string
}

export interface LargeBundle {
  path: string
  /** Bytes of the file. */
  bytes: number
  /** Bytes of all events, unpacked. */
  eventBytes: number
  events: number
  loopIds: string[]
}

const WORDS = 'PASS FAIL src/util.test.ts expected received at Object.<anonymous> toBe(3) npm ERR! warning deprecated'.split(' ')

/** Tool output with one line in `randomEvery` carrying random bytes (hashes, ids, timings), as real logs do. */
function output(chars: number, randomEvery: number): string {
  let text = ''
  while (text.length < chars) {
    text += Math.random() * randomEvery < 1 ? `${randomBytes(48).toString('base64')}\n` : `${WORDS[Math.floor(Math.random() * WORDS.length)]} ${text.length}\n`
  }
  return text.slice(0, chars)
}

/** Outputs to pick from: far enough apart that deflate cannot reuse one for the next. */
function outputPool(chars: number, randomEvery: number): string[] {
  return Array.from({ length: 64 }, () => output(chars, randomEvery))
}

/** A deflated zip entry made with zlib in one go: much faster than a JavaScript deflate for test data this size. */
function deflatedEntry(zip: Zip, filename: string, data: Buffer): void {
  const file: ZipInputFile = { filename, size: data.length, crc: crc32(data), compression: 8 }
  zip.add(file)
  file.ondata!(null, deflateRawSync(data, { level: 1 }), true)
}

export function writeLargeBundle(path: string, opts: LargeBundleOptions): LargeBundle {
  const fd = openSync(path, 'w')
  let bytes = 0
  const zip = new Zip((err, chunk) => {
    if (err) throw err
    bytes += chunk.length
    writeSync(fd, chunk)
  })
  const spec = LoopSpecSchema.parse(sampleSpec)
  const pool = outputPool(opts.outputChars, opts.randomEvery ?? 8)
  const loops: BundleLoop[] = []
  let events = 0
  let eventBytes = 0
  for (let l = 0; l < opts.loops; l++) {
    const loopId = `${opts.prefix ?? 'big'}-${l}`
    const part = `events/${loopId}.jsonl`
    const lines: string[] = []
    const line = (type: string, data: unknown) => {
      const version = lines.length + 1
      lines.push(JSON.stringify({ version, at: 1_700_000_000_000 + version, type, schema: 1, data }) + '\n')
    }
    line('LoopCreated', { spec })
    line('Started', {})
    for (let i = 1; i <= opts.iterationsPerLoop; i++) {
      const output = `iteration ${i}\n${pool[Math.floor(Math.random() * pool.length)]}`
      for (const ev of iterationEvents({ iteration: i, tool: 'shell', args: { command: 'npm test' }, ok: false, exitCode: 1, output })) line(ev.type, ev.data)
    }
    line('Terminated', { reason: 'MAX_ITERATIONS', detail: 'limit reached', iteration: opts.iterationsPerLoop })
    const data = Buffer.from(lines.join(''))
    deflatedEntry(zip, part, data)
    events += lines.length
    eventBytes += data.length
    loops.push({
      loopId,
      name: spec.name,
      spec,
      parentLoopId: null,
      eventCount: lines.length,
      part,
      sha256: createHash('sha256').update(data).digest('hex'),
      bytes: data.length
    })
  }
  const manifest = { format: BUNDLE_FORMAT, formatVersion: BUNDLE_FORMAT_VERSION, appVersion: 'test', createdAt: new Date().toISOString(), loops, redactionRules: [], redactions: [] }
  deflatedEntry(zip, 'manifest.json', Buffer.from(JSON.stringify(manifest)))
  zip.end()
  closeSync(fd)
  return { path, bytes, eventBytes, events, loopIds: loops.map((l) => l.loopId) }
}
