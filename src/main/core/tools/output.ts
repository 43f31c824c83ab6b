/**
 * Output capture for tools: decodes bytes as UTF-8 (invalid sequences become U+FFFD, never a
 * crash), streams chunks while under the cap, and keeps a tail for the observation.
 */
export const DEFAULT_STREAM_CAP = 256 * 1024
export const EXCERPT_CHARS = 4000

export class OutputCapture {
  private readonly decoders = { stdout: new TextDecoder('utf-8'), stderr: new TextDecoder('utf-8') }
  private streamed = 0
  private markerSent = false
  private tail = ''
  bytes = 0

  constructor(
    private readonly emit: (stream: 'stdout' | 'stderr' | 'info', chunk: string) => void,
    private readonly cap = DEFAULT_STREAM_CAP
  ) {}

  push(stream: 'stdout' | 'stderr', data: Uint8Array): void {
    this.bytes += data.byteLength
    const text = this.decoders[stream].decode(data, { stream: true })
    this.keep(stream, text)
  }

  /** Flush any partial multi-byte sequence left in the decoders. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) this.keep(stream, this.decoders[stream].decode())
  }

  private keep(stream: 'stdout' | 'stderr', text: string): void {
    if (!text) return
    this.tail = (this.tail + text).slice(-EXCERPT_CHARS)
    if (this.streamed < this.cap) {
      const room = this.cap - this.streamed
      const part = text.length > room ? text.slice(0, room) : text
      this.streamed += part.length
      this.emit(stream, part)
    }
    if (this.streamed >= this.cap && !this.markerSent) {
      this.markerSent = true
      this.emit('info', `\n[output capped at ${this.cap} characters; the rest is counted, not recorded]\n`)
    }
  }

  get truncated(): boolean {
    return this.markerSent
  }

  get excerpt(): string {
    return this.tail
  }
}
