/**
 * Secret scrubbing for everything a loop records. Any string holding a secret in any of its
 * forms (see secret-forms) is rewritten before it reaches the store; a string that starts or
 * ends with a piece of one (an excerpt cut mid-key, output capped mid-key) loses that piece too.
 * Tools see secrets (through their environment); traces, bundles and screens never do.
 */
import { MIN_FORM_LENGTH, secretForms } from './secret-forms'

export const MIN_SECRET_LENGTH = 6
/** The shortest piece of a secret that is scrubbed at the edge of a cut string. */
const MIN_EDGE_PIECE = 6

interface Needle {
  name: string
  form: string
}

export class SecretScrubber {
  private readonly needles: Needle[]
  /** The longest form: how much text a stream must hold back to see a secret split across chunks. */
  readonly longest: number

  constructor(secrets: Record<string, string | undefined>) {
    this.needles = Object.entries(secrets)
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length >= MIN_SECRET_LENGTH)
      .flatMap(([name, value]) => secretForms(value).map((form) => ({ name, form })))
      // Longest first, so a secret that contains another is replaced whole.
      .sort((a, b) => b.form.length - a.form.length)
    this.longest = this.needles[0]?.form.length ?? 0
  }

  get empty(): boolean {
    return this.needles.length === 0
  }

  placeholder(name: string): string {
    return `[redacted:${name}]`
  }

  /** Where each secret form occurs in `text`: sorted, non-overlapping, longest form first at a tie. */
  matches(text: string): { start: number; end: number; name: string }[] {
    const found: { start: number; end: number; name: string }[] = []
    for (const n of this.needles) {
      for (let at = text.indexOf(n.form); at >= 0; at = text.indexOf(n.form, at + 1)) {
        found.push({ start: at, end: at + n.form.length, name: n.name })
      }
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end)
    const kept: typeof found = []
    for (const m of found) if (!kept.length || m.start >= kept[kept.length - 1].end) kept.push(m)
    return kept
  }

  scrubText(text: string): string {
    if (this.empty || text.length < MIN_FORM_LENGTH) return text
    const found = this.matches(text)
    if (found.length === 0) return text
    let out = ''
    let from = 0
    for (const m of found) {
      out += text.slice(from, m.start) + this.placeholder(m.name)
      from = m.end
    }
    return out + text.slice(from)
  }

  /** The piece of a secret `text` ends with (its head) or starts with (its tail), scrubbed. */
  scrubEdges(text: string, edges: { start?: boolean; end?: boolean }): string {
    let out = text
    for (const n of this.needles) {
      if (edges.end) {
        for (let len = Math.min(n.form.length - 1, out.length); len >= MIN_EDGE_PIECE; len--) {
          if (out.endsWith(n.form.slice(0, len))) {
            out = out.slice(0, out.length - len) + this.placeholder(n.name)
            break
          }
        }
      }
      if (edges.start) {
        for (let len = Math.min(n.form.length - 1, out.length); len >= MIN_EDGE_PIECE; len--) {
          if (out.startsWith(n.form.slice(n.form.length - len))) {
            out = this.placeholder(n.name) + out.slice(len)
            break
          }
        }
      }
    }
    return out
  }

  /** A scrubbed deep copy of a JSON value (untouched, and not copied, when it holds no secret). */
  scrubValue<T>(value: T): T {
    if (this.empty) return value
    // Cheap test first: most values hold no secret and are passed through as they are.
    const text = JSON.stringify(value)
    if (text === undefined || !this.needles.some((n) => text.includes(n.form))) return value
    return this.walk(value) as T
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.scrubText(v)
    if (Array.isArray(v)) return v.map((x) => this.walk(x))
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.walk(x)]))
    return v
  }
}
