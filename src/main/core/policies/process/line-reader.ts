/**
 * Splits an agent's stdout into lines, holding at most one line's worth of bytes: a line longer
 * than the cap is reported once (with its start) and the rest of the stream is ignored, since
 * the agent is no longer speaking the protocol.
 */
export const MAX_LINE_BYTES = 1024 * 1024

export class LineReader {
  private parts: Buffer[] = []
  private size = 0
  private overflowed = false

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (start: string) => void,
    private readonly maxBytes = MAX_LINE_BYTES
  ) {}

  push(chunk: Buffer): void {
    let from = 0
    for (let nl = chunk.indexOf(0x0a); nl >= 0 && !this.overflowed; nl = chunk.indexOf(0x0a, from)) {
      if (!this.add(chunk.subarray(from, nl))) return
      const line = Buffer.concat(this.parts).toString('utf8')
      this.parts = []
      this.size = 0
      from = nl + 1
      this.onLine(line)
    }
    if (!this.overflowed) this.add(chunk.subarray(from))
  }

  private add(piece: Buffer): boolean {
    if (this.overflowed) return false
    if (this.size + piece.length > this.maxBytes) {
      this.overflowed = true
      const start = Buffer.concat([...this.parts, piece]).subarray(0, 200).toString('utf8')
      this.parts = []
      this.onOverflow(start)
      return false
    }
    this.parts.push(piece)
    this.size += piece.length
    return true
  }
}
