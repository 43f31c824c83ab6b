/** Random access to a bundle's bytes, whether they are in memory or in a file. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'

export interface ByteSource {
  readonly size: number
  /** `length` bytes from `offset` (fewer only past the end). */
  read(offset: number, length: number): Uint8Array
  close(): void
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, offset + length),
    close: () => undefined
  }
}

export function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r')
  const size = fstatSync(fd).size
  return {
    size,
    read(offset, length) {
      const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)))
      let done = 0
      while (done < out.length) {
        const n = readSync(fd, out, done, out.length - done, offset + done)
        if (n === 0) break
        done += n
      }
      return out.subarray(0, done)
    },
    close: () => closeSync(fd)
  }
}
