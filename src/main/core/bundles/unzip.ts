/**
 * Read a bundle's zip entries defensively. The central directory is checked first (names,
 * declared sizes, compression); then every entry is inflated in small slices while its real
 * size is counted, so a zip bomb is stopped long before it can fill memory.
 */
import { Unzip, UnzipInflate, unzipSync, type UnzipFile } from 'fflate'

export interface BundleLimits {
  /** Largest inflated size of one entry. */
  maxPartBytes: number
  /** Largest inflated size of all entries together. */
  maxTotalBytes: number
  maxEntries: number
  /** Largest inflated/compressed ratio, checked once an entry is past `ratioFloorBytes`. */
  maxRatio: number
  ratioFloorBytes: number
}

export const DEFAULT_LIMITS: BundleLimits = {
  maxPartBytes: 256 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxEntries: 1001,
  maxRatio: 500,
  ratioFloorBytes: 1024 * 1024
}

export class BundleImportError extends Error {}

const MANIFEST = 'manifest.json'
const PART_NAME = /^events\/[\w-]{1,100}\.jsonl$/
const SLICE = 64 * 1024

interface Declared {
  size: number
  originalSize: number
  compression: number
}

function checkName(name: string): void {
  if (name.includes('..') || name.startsWith('/') || name.includes('\\') || /^[a-zA-Z]:/.test(name)) {
    throw new BundleImportError(`unsafe entry name in bundle: ${JSON.stringify(name)}`)
  }
  if (name !== MANIFEST && !PART_NAME.test(name)) {
    throw new BundleImportError(`unexpected entry in bundle: ${JSON.stringify(name)}`)
  }
}

/** Names and declared sizes from the central directory; nothing is inflated here. */
function readDirectory(bytes: Uint8Array, limits: BundleLimits): Map<string, Declared> {
  const entries = new Map<string, Declared>()
  let total = 0
  try {
    unzipSync(bytes, {
      filter(f) {
        checkName(f.name)
        if (entries.has(f.name)) throw new BundleImportError(`entry ${f.name} appears twice in the bundle`)
        if (entries.size + 1 > limits.maxEntries) throw new BundleImportError(`bundle has more than ${limits.maxEntries} entries`)
        if (f.compression !== 8) throw new BundleImportError(`entry ${f.name} uses compression method ${f.compression}; bundles are deflated`)
        if (f.originalSize > limits.maxPartBytes) {
          throw new BundleImportError(`entry ${f.name} is too large: ${f.originalSize} bytes (limit ${limits.maxPartBytes})`)
        }
        total += f.originalSize
        if (total > limits.maxTotalBytes) throw new BundleImportError(`bundle is too large when unpacked (limit ${limits.maxTotalBytes} bytes)`)
        entries.set(f.name, { size: f.size, originalSize: f.originalSize, compression: f.compression })
        return false
      }
    })
  } catch (err) {
    if (err instanceof BundleImportError) throw err
    throw new BundleImportError(`not a valid bundle file (damaged or truncated zip): ${(err as Error).message}`)
  }
  if (entries.size === 0) throw new BundleImportError('the bundle is empty')
  return entries
}

/** Every entry inflated, with the limits enforced on real sizes as the bytes come out. */
export function readEntries(bytes: Uint8Array, limits: BundleLimits = DEFAULT_LIMITS): Map<string, Uint8Array> {
  const declared = readDirectory(bytes, limits)
  const out = new Map<string, Uint8Array>()
  let total = 0
  let failure: Error | null = null
  const fail = (file: UnzipFile | null, err: Error) => {
    failure ??= err
    file?.terminate()
  }
  const unzip = new Unzip((file) => {
    const d = declared.get(file.name)
    if (!d) return fail(file, new BundleImportError(`entry ${JSON.stringify(file.name)} is not in the zip directory`))
    if (out.has(file.name)) return fail(file, new BundleImportError(`entry ${file.name} appears twice in the bundle`))
    const chunks: Uint8Array[] = []
    let size = 0
    file.ondata = (err, chunk, final) => {
      if (failure) return
      if (err) return fail(file, new BundleImportError(`entry ${file.name} is corrupt: ${err.message}`))
      size += chunk.length
      total += chunk.length
      if (size > d.originalSize) return fail(file, new BundleImportError(`entry ${file.name} inflates past its declared size (zip bomb?)`))
      if (size > limits.maxPartBytes) return fail(file, new BundleImportError(`entry ${file.name} is too large (limit ${limits.maxPartBytes} bytes)`))
      if (total > limits.maxTotalBytes) return fail(file, new BundleImportError(`bundle is too large when unpacked (limit ${limits.maxTotalBytes} bytes)`))
      if (size > limits.ratioFloorBytes && size / Math.max(1, d.size) > limits.maxRatio) {
        return fail(file, new BundleImportError(`entry ${file.name} expands more than ${limits.maxRatio}x (zip bomb?)`))
      }
      chunks.push(chunk)
      if (final) {
        if (size !== d.originalSize) {
          return fail(file, new BundleImportError(`entry ${file.name} is ${size} bytes, its header says ${d.originalSize}`))
        }
        out.set(file.name, Buffer.concat(chunks))
      }
    }
    file.start()
  })
  unzip.register(UnzipInflate)
  try {
    for (let at = 0; at < bytes.length && !failure; at += SLICE) {
      unzip.push(bytes.subarray(at, Math.min(bytes.length, at + SLICE)), at + SLICE >= bytes.length)
    }
  } catch (err) {
    failure ??= new BundleImportError(`not a valid bundle file: ${(err as Error).message}`)
  }
  if (failure) throw failure
  for (const name of declared.keys()) {
    if (!out.has(name)) throw new BundleImportError(`entry ${name} could not be read (truncated or damaged bundle)`)
  }
  return out
}
