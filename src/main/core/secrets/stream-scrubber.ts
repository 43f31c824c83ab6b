/**
 * Scrubs a tool's output as it streams. Output arrives in chunks on two streams, and a secret
 * can be split across chunks or printed half on stdout and half on stderr; so the streams are
 * scrubbed as the one interleaved text they form, and the last `longest - 1` characters are held
 * back until the next chunk shows whether they begin a secret.
 */
import type { SecretScrubber } from './scrubber'

export interface OutputPiece<S extends string = string> {
  stream: S
  chunk: string
}

export class StreamScrubber<S extends string = string> {
  private pending: OutputPiece<S>[] = []

  constructor(private readonly scrubber: SecretScrubber) {}

  /** Take a chunk; return the pieces now safe to record. */
  push(stream: S, chunk: string): OutputPiece<S>[] {
    if (this.scrubber.empty) return chunk ? [{ stream, chunk }] : []
    if (!chunk) return []
    const last = this.pending[this.pending.length - 1]
    if (last?.stream === stream) last.chunk += chunk
    else this.pending.push({ stream, chunk })
    return this.release(false)
  }

  /** The stream ended: everything held back, with a secret's head at the very end scrubbed too. */
  end(): OutputPiece<S>[] {
    return this.release(true)
  }

  private release(all: boolean): OutputPiece<S>[] {
    const text = this.pending.map((p) => p.chunk).join('')
    const found = this.scrubber.matches(text)
    let cut = all ? text.length : Math.max(0, text.length - (this.scrubber.longest - 1))
    // A secret that straddles the cut goes out whole, as its placeholder.
    for (const m of found) if (m.start < cut && m.end > cut) cut = m.end
    const out: OutputPiece<S>[] = []
    let offset = 0
    const rest: OutputPiece<S>[] = []
    for (const p of this.pending) {
      const start = offset
      const end = offset + p.chunk.length
      offset = end
      if (start < cut) out.push({ stream: p.stream, chunk: this.scrub(text, start, Math.min(end, cut), found) })
      if (end > cut) rest.push({ stream: p.stream, chunk: p.chunk.slice(Math.max(0, cut - start)) })
    }
    this.pending = rest
    const released = out.filter((p) => p.chunk !== '')
    if (all && released.length > 0) {
      const tail = released[released.length - 1]
      tail.chunk = this.scrubber.scrubEdges(tail.chunk, { end: true })
    }
    return released
  }

  /** `text[from, to)` with each secret replaced; a secret's placeholder goes where it starts. */
  private scrub(text: string, from: number, to: number, found: { start: number; end: number; name: string }[]): string {
    let out = ''
    let at = from
    for (const m of found) {
      if (m.end <= from || m.start >= to) continue
      out += text.slice(at, Math.max(at, m.start))
      if (m.start >= from) out += this.scrubber.placeholder(m.name)
      at = Math.min(to, m.end)
    }
    return out + text.slice(at, to)
  }
}
