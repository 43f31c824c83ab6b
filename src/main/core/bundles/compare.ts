/**
 * Compare two loops iteration by iteration (the renderer's side-by-side view reads this), aligned by
 * lineage: a fork is compared with its parent's line only after the iteration it was forked at.
 */
import { stepDifference, type ComparedIteration, type ComparedStep, type LoopComparison, type RunTotals } from '../../../shared/compare'
import type { IterationRow } from '../../../shared/iterations'
import { summarize } from '../../../shared/summary'
import type { TraceStore } from '../store/trace-store'
import { forkPoint, historyRows, lineage } from './lineage'

function totals(store: TraceStore, loopId: string): RunTotals {
  const state = store.loadState(loopId)
  if (state.version === 0) throw new Error(`no loop with id ${loopId}`)
  const s = summarize(state)
  return {
    loopId,
    name: s.name,
    status: s.status,
    terminationReason: s.terminationReason,
    iterations: s.iteration,
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    costUsd: s.costUsd
  }
}

function step(row: IterationRow | undefined): ComparedStep | null {
  if (!row) return null
  return {
    action: row.action,
    ok: row.result?.ok ?? null,
    summary: row.result?.summary ?? '',
    costUsd: row.costUsd,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens
  }
}

export function compareLoops(store: TraceStore, a: string, b: string): LoopComparison {
  const ta = totals(store, a)
  const tb = totals(store, b)
  const lineageA = lineage(store, a)
  const lineageB = lineage(store, b)
  // A fork and its parent share the iterations before the fork point: compare from there on.
  const forkedAt = forkPoint(lineageA, lineageB)
  const ra = historyRows(store, lineageA)
  const rb = historyRows(store, lineageB)
  const iterations = [...new Set([...ra.keys(), ...rb.keys()])].sort((x, y) => x - y)
  const rows: ComparedIteration[] = iterations.map((iteration) => {
    const sa = step(ra.get(iteration))
    const sb = step(rb.get(iteration))
    const difference = stepDifference(sa, sb)
    return { iteration, a: sa, b: sb, same: difference === null, difference, inherited: forkedAt !== null && iteration <= forkedAt.iteration }
  })
  const first = rows.find((r) => !r.same && !r.inherited)
  const endsDiffer = !first && ta.terminationReason !== tb.terminationReason
  return {
    a: ta,
    b: tb,
    rows,
    forkedAt,
    divergedAt: first?.iteration ?? null,
    divergence: first
      ? `iteration ${first.iteration}: ${first.difference}`
      : endsDiffer
        ? `same iterations, different endings: ${ta.terminationReason ?? ta.status} vs ${tb.terminationReason ?? tb.status}`
        : null
  }
}
