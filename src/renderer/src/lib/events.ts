/** Load the events of a version range (an iteration) in pages, capped so a huge output cannot hang the view. */
import type { EventPage } from '../../../shared/contract'
import type { StoredEvent } from '../../../shared/events'
import type { IterationRow } from '../../../shared/iterations'
import { andon } from '../transport'

const PAGE = 5000
const MAX_EVENTS = 50_000

export async function loadRange(loopId: string, fromVersion: number, toVersion: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = []
  let after: number | null = fromVersion - 1
  while (after !== null && after < toVersion && out.length < MAX_EVENTS) {
    const page: EventPage = await andon.getEvents({ loopId, afterVersion: after, limit: Math.min(PAGE, toVersion - after) })
    for (const ev of page.events) if (ev.version <= toVersion) out.push(ev)
    after = page.next
  }
  return out
}

/** The version range of an iteration: from its first event to just before the next iteration. */
export function iterationRange(rows: IterationRow[], iteration: number, loopVersion: number): [number, number] | null {
  const at = rows.findIndex((r) => r.iteration === iteration)
  return at < 0 ? null : rowRange(rows[at], rows[at + 1] ?? null, loopVersion)
}

/** The version range of `row`, given the row after it (null: it is the newest, running up to `loopVersion`). */
export function rowRange(row: IterationRow, next: IterationRow | null, loopVersion: number): [number, number] {
  return [row.firstVersion, next ? next.firstVersion - 1 : loopVersion]
}
