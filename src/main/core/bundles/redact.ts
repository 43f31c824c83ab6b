/**
 * Redaction: every string leaving Andon in a bundle or a trace export passes through here.
 * Secret values the caller knows (from the environment) and well-known token shapes are
 * replaced by `[REDACTED:<rule>]`; each hit is reported by path and rule, never by value.
 */
import { compilePattern, replaceAllMatches, type UserPattern } from '../patterns/user-pattern'
import { secretForms } from '../secrets/secret-forms'
import { MIN_SECRET_LENGTH } from '../secrets/scrubber'

export interface RedactionRule {
  name: string
  /** Andon's own patterns are JavaScript; a user's run on RE2 (linear time, see user-pattern). */
  pattern: RegExp | UserPattern
  /** Keep the first capture group (e.g. the `Bearer ` prefix) and replace the rest. */
  keepPrefix?: boolean
  /** Written instead of `[REDACTED:<rule>]`. */
  replacement?: string
}

/** Token shapes that are secrets wherever they appear. */
export const BUILTIN_RULES: RedactionRule[] = [
  { name: 'anthropic-key', pattern: /sk-ant-[A-Za-z0-9_-]{8,}/g },
  { name: 'api-key', pattern: /\bsk-[A-Za-z0-9_-]{20,}/g },
  { name: 'github-pat', pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g },
  { name: 'github-token', pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/g },
  { name: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: 'bearer', pattern: /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, keepPrefix: true }
]

export interface RedactionOptions {
  /** Secret values by name (e.g. from the environment); values under 6 characters are ignored. */
  secrets?: Record<string, string | undefined>
  /** Extra regular expressions (source text); each becomes rule `pattern:<index>`. */
  patterns?: string[]
  /** The user's home folder: written as `~` so paths do not name the user. */
  homeDir?: string
}

export interface RedactionHit {
  path: string
  rule: string
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export class Redactor {
  readonly rules: RedactionRule[]

  constructor(opts: RedactionOptions = {}) {
    const secretRules: RedactionRule[] = Object.entries(opts.secrets ?? {})
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length >= MIN_SECRET_LENGTH)
      // Longest first, so a secret that contains another is replaced whole.
      .sort((a, b) => b[1].length - a[1].length)
      // Every form the recording scrubber knows (base64, hex, percent-encoded…), longest first.
      .map(([name, value]) => ({ name: `env:${name}`, pattern: new RegExp(secretForms(value).sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g') }))
    const custom = (opts.patterns ?? []).map((source, i) => {
      try {
        return { name: `pattern:${i}`, pattern: compilePattern(source) }
      } catch (err) {
        throw new Error(`redaction pattern ${i} (${source}) is not a usable regular expression: ${(err as Error).message}`)
      }
    })
    const home: RedactionRule[] =
      opts.homeDir && opts.homeDir.length > 1
        ? [{ name: 'home-dir', pattern: new RegExp(`${escapeRegExp(opts.homeDir.replace(/[\\/]+$/, ''))}(?=[\\/]|$)`, 'g'), replacement: '~' }]
        : []
    this.rules = [...secretRules, ...BUILTIN_RULES, ...custom, ...home]
  }

  get ruleNames(): string[] {
    return this.rules.map((r) => r.name)
  }

  redactString(text: string, path: string, hits: RedactionHit[]): string {
    let out = text
    for (const rule of this.rules) {
      const replacement = (prefix: string) => rule.replacement ?? (rule.keepPrefix ? `${prefix}[REDACTED:${rule.name}]` : `[REDACTED:${rule.name}]`)
      const { pattern } = rule
      let next: string
      if (pattern instanceof RegExp) {
        pattern.lastIndex = 0
        if (!pattern.test(out)) continue
        pattern.lastIndex = 0
        next = out.replace(pattern, (...m: unknown[]) => replacement(m[1] as string))
      } else {
        next = replaceAllMatches(pattern, out, (_match, first) => replacement(first))
        if (next === out) continue
      }
      out = next
      hits.push({ path, rule: rule.name })
    }
    return out
  }

  /** A redacted deep copy of a JSON value; hits are appended to `hits`. */
  redact<T>(value: T, path: string, hits: RedactionHit[]): T {
    return this.walk(value, path, hits) as T
  }

  private walk(value: unknown, path: string, hits: RedactionHit[]): unknown {
    if (typeof value === 'string') return this.redactString(value, path, hits)
    if (Array.isArray(value)) return value.map((v, i) => this.walk(v, `${path}[${i}]`, hits))
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) out[k] = this.walk(v, path ? `${path}.${k}` : k, hits)
      return out
    }
    return value
  }
}
