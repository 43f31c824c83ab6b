/**
 * Secret scrubbing for everything a loop records: any string in an event that contains the
 * value of a secret the loop was given is rewritten before it reaches the store. Tools see
 * secrets (through their environment); traces, bundles and screens never do.
 */
import type { LoopEventInput } from '../../../shared/events'

const MIN_SECRET_LENGTH = 6

export type Scrubber = (events: LoopEventInput[]) => LoopEventInput[]

export function createScrubber(secrets: Record<string, string>): Scrubber {
  const pairs = Object.entries(secrets)
    .filter(([, v]) => v.length >= MIN_SECRET_LENGTH)
    .sort(([, a], [, b]) => b.length - a.length)
  if (pairs.length === 0) return (events) => events
  const scrubString = (s: string) => {
    let out = s
    for (const [name, value] of pairs) if (out.includes(value)) out = out.split(value).join(`[redacted:${name}]`)
    return out
  }
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubString(v)
    if (Array.isArray(v)) return v.map(scrub)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]))
    return v
  }
  return (events) => {
    // Cheap test first: most events hold no secret and are passed through untouched.
    const text = JSON.stringify(events)
    if (!pairs.some(([, value]) => text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1)))) return events
    return scrub(events) as LoopEventInput[]
  }
}
