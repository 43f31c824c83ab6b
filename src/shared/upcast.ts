/**
 * Event schema versions. Every stored event records the schema version of its type's data; when a
 * type's data changes shape, its version goes up and an upcaster turns the previous shape into the
 * new one. Events are upcast, then parsed, on every read, so old logs fold with today's code.
 */
import type { LoopEventType } from './events'

type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>

/** The schema version each event type is written with today (absent: 1). */
export const EVENT_SCHEMA_VERSIONS: Partial<Record<LoopEventType, number>> = {
  Interrupted: 2
}

/** `UPCASTERS[type][n]` turns data of version n into version n + 1. */
const UPCASTERS: Partial<Record<LoopEventType, Record<number, Upcaster>>> = {
  Interrupted: {
    // v2 says when the loop was last known alive, so downtime after a crash is not active time.
    // v1 did not know: null means "at the previous event".
    1: (d) => ({ ...d, lastAliveAt: null })
  }
}

export function schemaVersionOf(type: string): number {
  return EVENT_SCHEMA_VERSIONS[type as LoopEventType] ?? 1
}

export class UnknownSchemaError extends Error {}

/** Bring `data` recorded at `version` up to the current schema of `type`. */
export function upcast(type: string, version: number, data: unknown): unknown {
  const current = schemaVersionOf(type)
  if (version === current) return data
  if (version > current) {
    throw new UnknownSchemaError(`${type} data has schema version ${version}, newer than this Andon understands (${current}); upgrade Andon`)
  }
  let out = data as Record<string, unknown>
  for (let v = version; v < current; v++) {
    const step = UPCASTERS[type as LoopEventType]?.[v]
    if (!step) throw new UnknownSchemaError(`no upcaster for ${type} from schema version ${v}`)
    if (out === null || typeof out !== 'object') return out
    out = step(out)
  }
  return out
}
