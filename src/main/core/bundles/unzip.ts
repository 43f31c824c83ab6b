/**
 * Read a bundle's zip entries defensively and one at a time. The central directory is read
 * first (names, declared sizes, compression, where each entry lies); then an entry is inflated
 * in small slices while its real size is counted, so neither a zip bomb nor a large honest
 * bundle ever sits in memory whole.
 */
import { fflate } from '../lazy-packages'
import type { ByteSource } from './byte-source'

export interface BundleLimits {
  /** Largest inflated size of one entry. */
  maxPartBytes: number
  /** Largest inflated size of all entries together. */
  maxTotalBytes: number
  maxEntries: number
  /** Largest inflated/compressed ratio, checked once an entry is past `ratioFloorBytes`. */
  maxRatio: number
  ratioFloorBytes: number
  /** The manifest is parsed whole, so it gets a smaller ceiling than the parts. */
  maxManifestBytes: number
  /** Longest line (one event) of a part. */
  maxLineBytes: number
}

export const DEFAULT_LIMITS: BundleLimits = {
  maxPartBytes: 256 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxEntries: 1001,
  maxRatio: 500,
  ratioFloorBytes: 1024 * 1024,
  maxManifestBytes: 32 * 1024 * 1024,
  maxLineBytes: 16 * 1024 * 1024
}

/** A bundle refused (422: the file is at fault) or not written (500). Nothing was imported either way. */
export class BundleImportError extends Error {
  constructor(
    message: string,
    readonly status = 422
  ) {
    super(message)
  }
}

export const MANIFEST = 'manifest.json'
const PART_NAME = /^events\/[\w-]{1,100}\.jsonl$/
/** Compressed bytes fed to the inflater at a time: what one slice can expand to stays small. */
const SLICE = 32 * 1024

export interface ZipEntry {
  name: string
  /** Compressed size. */
  size: number
  originalSize: number
  /** Offset of the local header. */
  offset: number
}

const names = new TextDecoder('utf-8', { fatal: true })

function checkName(name: string): void {
  if (name.includes('..') || name.startsWith('/') || name.includes('\\') || /^[a-zA-Z]:/.test(name)) {
    throw new BundleImportError(`unsafe entry name in bundle: ${JSON.stringify(name)}`)
  }
  if (name !== MANIFEST && !PART_NAME.test(name)) {
    throw new BundleImportError(`unexpected entry in bundle: ${JSON.stringify(name)}`)
  }
}

function damaged(detail: string): BundleImportError {
  return new BundleImportError(`not a valid bundle file (damaged or truncated zip): ${detail}`)
}

function checkDeclared(e: ZipEntry, limits: BundleLimits): void {
  if (e.originalSize > limits.ratioFloorBytes && e.originalSize / Math.max(1, e.size) > limits.maxRatio) {
    throw new BundleImportError(`entry ${e.name} expands more than ${limits.maxRatio}x (zip bomb?)`)
  }
  const max = e.name === MANIFEST ? Math.min(limits.maxManifestBytes, limits.maxPartBytes) : limits.maxPartBytes
  if (e.originalSize > max) throw new BundleImportError(`entry ${e.name} is too large: ${e.originalSize} bytes (limit ${max})`)
}

/** The end-of-central-directory record: the last thing in a zip, followed only by a comment. */
function findEnd(source: ByteSource): DataView {
  const tailLength = Math.min(source.size, 22 + 0xffff)
  const tail = source.read(source.size - tailLength, tailLength)
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength)
  for (let at = tail.length - 22; at >= 0; at--) {
    if (view.getUint32(at, true) === 0x06054b50) return new DataView(tail.buffer, tail.byteOffset + at, 22)
  }
  const head = source.read(0, Math.min(4, source.size))
  const looksZipped = head.length === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4
  throw looksZipped ? damaged('no end of central directory') : new BundleImportError('not a valid bundle file: it is not a zip')
}

/** Names and declared sizes from the central directory; nothing is inflated here. */
export function readDirectory(source: ByteSource, limits: BundleLimits = DEFAULT_LIMITS): Map<string, ZipEntry> {
  const end = findEnd(source)
  const count = end.getUint16(10, true)
  const cdSize = end.getUint32(12, true)
  const cdOffset = end.getUint32(16, true)
  if (count === 0xffff || cdOffset === 0xffffffff) throw new BundleImportError('zip64 bundles are not supported')
  if (count > limits.maxEntries) throw new BundleImportError(`bundle has more than ${limits.maxEntries} entries`)
  if (cdOffset + cdSize > source.size) throw damaged('the directory lies past the end of the file')
  const cd = source.read(cdOffset, cdSize)
  const view = new DataView(cd.buffer, cd.byteOffset, cd.byteLength)
  const entries = new Map<string, ZipEntry>()
  let total = 0
  let at = 0
  for (let i = 0; i < count; i++) {
    if (at + 46 > cd.length || view.getUint32(at, true) !== 0x02014b50) throw damaged('bad directory entry')
    const flags = view.getUint16(at + 8, true)
    const compression = view.getUint16(at + 10, true)
    const nameLength = view.getUint16(at + 28, true)
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
    if (at + 46 + skip > cd.length) throw damaged('bad directory entry')
    let name: string
    try {
      name = names.decode(cd.subarray(at + 46, at + 46 + nameLength))
    } catch {
      throw new BundleImportError('an entry name in the bundle is not valid UTF-8')
    }
    const entry: ZipEntry = { name, size: view.getUint32(at + 20, true), originalSize: view.getUint32(at + 24, true), offset: view.getUint32(at + 42, true) }
    at += 46 + skip
    checkName(name)
    if (entries.has(name)) throw new BundleImportError(`entry ${name} appears twice in the bundle`)
    if (flags & 1) throw new BundleImportError(`entry ${name} is encrypted`)
    if (compression !== 8) throw new BundleImportError(`entry ${name} uses compression method ${compression}; bundles are deflated`)
    checkDeclared(entry, limits)
    total += entry.originalSize
    if (total > limits.maxTotalBytes) throw new BundleImportError(`bundle is too large when unpacked (limit ${limits.maxTotalBytes} bytes)`)
    entries.set(name, entry)
  }
  if (entries.size === 0) throw new BundleImportError('the bundle is empty')
  return entries
}

/** Where an entry's compressed bytes lie, checked against its local header. */
function dataRange(source: ByteSource, e: ZipEntry): { start: number; end: number } {
  if (e.offset + 30 > source.size) throw damaged(`entry ${e.name} lies past the end of the file`)
  const head = source.read(e.offset, 30)
  const view = new DataView(head.buffer, head.byteOffset, 30)
  if (view.getUint32(0, true) !== 0x04034b50) throw damaged(`entry ${e.name} has no local header`)
  const nameLength = view.getUint16(26, true)
  const start = e.offset + 30 + nameLength + view.getUint16(28, true)
  if (start + e.size > source.size) throw damaged(`entry ${e.name} is cut short`)
  if (!Buffer.from(source.read(e.offset + 30, nameLength)).equals(Buffer.from(e.name))) {
    throw damaged(`entry ${e.name} has a different name in its local header`)
  }
  return { start, end: start + e.size }
}

/**
 * The inflated bytes of one entry, a slice at a time, with the limits enforced on real sizes
 * as the bytes come out. `counted` carries the running total across entries.
 */
export function* inflateEntry(source: ByteSource, e: ZipEntry, counted: { total: number }, limits: BundleLimits = DEFAULT_LIMITS): Generator<Uint8Array> {
  const { start, end } = dataRange(source, e)
  const out: Uint8Array[] = []
  const inflate = new (fflate().Inflate)((chunk) => out.push(chunk))
  let size = 0
  if (start === end) throw damaged(`entry ${e.name} has no data`)
  for (let at = start; at < end; at += SLICE) {
    const slice = source.read(at, Math.min(SLICE, end - at))
    try {
      inflate.push(slice, at + SLICE >= end)
    } catch (err) {
      throw new BundleImportError(`entry ${e.name} is corrupt: ${(err as Error).message}`)
    }
    for (const chunk of out.splice(0)) {
      size += chunk.length
      counted.total += chunk.length
      if (size > e.originalSize) throw new BundleImportError(`entry ${e.name} inflates past its declared size (zip bomb?)`)
      if (counted.total > limits.maxTotalBytes) throw new BundleImportError(`bundle is too large when unpacked (limit ${limits.maxTotalBytes} bytes)`)
      if (size > limits.ratioFloorBytes && size / Math.max(1, e.size) > limits.maxRatio) {
        throw new BundleImportError(`entry ${e.name} expands more than ${limits.maxRatio}x (zip bomb?)`)
      }
      yield chunk
    }
  }
  if (size !== e.originalSize) throw new BundleImportError(`entry ${e.name} is ${size} bytes, its header says ${e.originalSize}`)
}
