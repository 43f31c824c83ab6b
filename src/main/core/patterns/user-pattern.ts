/**
 * Regular expressions written by users (rule conditions, redaction patterns) run on RE2's
 * linear-time engine: no pattern, however written, can stall the process on some input.
 * RE2 has no backreferences or lookahead; a pattern that needs them is refused with a reason.
 */
import { RE2JS } from 're2js'

export class PatternError extends Error {}

export interface PatternFlags {
  ignoreCase?: boolean
  multiline?: boolean
}

export type UserPattern = RE2JS

const cache = new Map<string, UserPattern>()
const CACHE_LIMIT = 500

/** Compile `source`, or throw PatternError saying why it cannot be used. */
export function compilePattern(source: string, flags: PatternFlags = {}): UserPattern {
  const bits = (flags.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (flags.multiline ? RE2JS.MULTILINE : 0)
  const key = `${bits}/${source}`
  const hit = cache.get(key)
  if (hit) return hit
  let compiled: UserPattern
  try {
    compiled = RE2JS.compile(source, bits)
  } catch (err) {
    throw new PatternError(`${(err as Error).message} (patterns use RE2 syntax: no backreferences or lookahead)`)
  }
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(key, compiled)
  return compiled
}

/** Why `source` cannot be used as a pattern, or null. */
export function patternProblem(source: string, flags: PatternFlags = {}): string | null {
  try {
    compilePattern(source, flags)
    return null
  } catch (err) {
    return (err as Error).message
  }
}

/** Every match of `pattern` in `text` replaced by what `replace` returns for it. */
export function replaceAllMatches(pattern: UserPattern, text: string, replace: (match: string, firstGroup: string) => string): string {
  const m = pattern.matcher(text)
  let out = ''
  let from = 0
  while (m.find()) {
    const start = m.start()
    const end = m.end()
    // An empty match replaces nothing; stepping on keeps the scan linear.
    if (end === start) continue
    out += text.slice(from, start) + replace(text.slice(start, end), (m.groupCount() >= 1 ? m.group(1) : '') ?? '')
    from = end
  }
  return from === 0 ? text : out + text.slice(from)
}
