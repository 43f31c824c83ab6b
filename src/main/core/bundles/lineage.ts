/**
 * A loop's history by lineage: a fork's first iterations are its parent's up to the fork point
 * (and the parent's, its own parent's), so its rows are its own plus the ones it inherited.
 */
import { foldIterationRow, type IterationRow } from '../../../shared/iterations'
import type { TraceStore } from '../store/trace-store'

/** One loop of a lineage and how much of it belongs to the history (null: all of it). */
export interface LineageLink {
  loopId: string
  /** The last event of this loop in the history: where the next loop down was forked from it. */
  upToVersion: number | null
  /** The iteration the next loop down was forked at. */
  upToIteration: number | null
}

/** A loop and its ancestors, nearest first, as far as they are in this store. */
export function lineage(store: TraceStore, loopId: string): LineageLink[] {
  const links: LineageLink[] = [{ loopId, upToVersion: null, upToIteration: null }]
  let child = store.loadState(loopId)
  while (child.parentLoopId && child.forkedAtVersion !== null && store.streamVersion(child.parentLoopId) > 0) {
    if (links.some((l) => l.loopId === child.parentLoopId)) break
    // The fork starts at its parent's iteration at the fork point (its LoopCreated, version 1).
    const forkIteration = store.loadState(child.loopId, 1).iteration
    links.push({ loopId: child.parentLoopId, upToVersion: child.forkedAtVersion, upToIteration: forkIteration })
    child = store.loadState(child.parentLoopId)
  }
  return links
}

/**
 * Rows of a loop as they stood after `version` (iteration `iteration`): an iteration cut by the fork
 * point is folded up to it. An ancestor's rows are read only up to the fork iteration: the later ones
 * started after the fork point.
 */
function rowsUpTo(store: TraceStore, link: LineageLink): IterationRow[] {
  const { loopId, upToVersion: version, upToIteration: iteration } = link
  if (version === null || iteration === null) return store.iterationRows(loopId)
  const first = store.iterationSpan(loopId).first
  const rows = store.iterationRowsBetween(loopId, first, iteration, Math.max(0, iteration - first + 1))
  const kept = rows.filter((r) => r.lastVersion <= version)
  const cut = rows.find((r) => r.firstVersion <= version && r.lastVersion > version)
  if (cut) {
    const partial: IterationRow[] = []
    for (const ev of store.iterateStream(loopId, { afterVersion: cut.firstVersion - 1, toVersion: version })) foldIterationRow(partial, ev)
    kept.push(...partial)
  }
  return kept
}

/** Every iteration of the loop's history, each with the loop that recorded it. */
export function historyRows(store: TraceStore, links: LineageLink[]): Map<number, IterationRow> {
  const rows = new Map<number, IterationRow>()
  // Nearest first: a loop's own record wins over what its ancestors recorded for the same iteration.
  for (const link of links) {
    for (const row of rowsUpTo(store, link)) if (!rows.has(row.iteration)) rows.set(row.iteration, row)
  }
  return rows
}

/**
 * Where two lineages part: the nearest loop both descend from (or one of them) and the iteration up
 * to which they share its history. Null when they share no loop.
 */
export function forkPoint(a: LineageLink[], b: LineageLink[]): { loopId: string; iteration: number } | null {
  for (const la of a) {
    const lb = b.find((l) => l.loopId === la.loopId)
    if (!lb) continue
    const upTo = [la.upToIteration, lb.upToIteration].filter((n): n is number => n !== null)
    return upTo.length === 0 ? null : { loopId: la.loopId, iteration: Math.min(...upTo) }
  }
  return null
}
