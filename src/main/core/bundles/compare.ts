/** Compare two loops iteration by iteration (the renderer's side-by-side view reads this). */
import type { ComparedIteration, ComparedStep, LoopComparison, RunTotals } from '../../../shared/compare'
import type { IterationRow } from '../../../shared/iterations'
import { actionKey } from '../../../shared/state'
import { summarize } from '../../../shared/summary'
import type { TraceStore } from '../store/trace-store'

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

function describe(s: ComparedStep | null): string {
  if (!s) return 'nothing'
  const action = s.action ? s.action.tool : 'no action'
  return s.ok === null ? action : `${action} (${s.ok ? 'ok' : 'failed'})`
}

function same(a: ComparedStep | null, b: ComparedStep | null): boolean {
  if (!a || !b) return false
  const ka = a.action ? actionKey(a.action) : ''
  const kb = b.action ? actionKey(b.action) : ''
  return ka === kb && a.ok === b.ok
}

export function compareLoops(store: TraceStore, a: string, b: string): LoopComparison {
  const ta = totals(store, a)
  const tb = totals(store, b)
  const ra = new Map(store.iterationRows(a).map((r) => [r.iteration, r]))
  const rb = new Map(store.iterationRows(b).map((r) => [r.iteration, r]))
  const iterations = [...new Set([...ra.keys(), ...rb.keys()])].sort((x, y) => x - y)
  const rows: ComparedIteration[] = iterations.map((iteration) => {
    const sa = step(ra.get(iteration))
    const sb = step(rb.get(iteration))
    return { iteration, a: sa, b: sb, same: same(sa, sb) }
  })
  const first = rows.find((r) => !r.same)
  const endsDiffer = !first && ta.terminationReason !== tb.terminationReason
  return {
    a: ta,
    b: tb,
    rows,
    divergedAt: first?.iteration ?? null,
    divergence: first
      ? `iteration ${first.iteration}: ${describe(first.a)} vs ${describe(first.b)}`
      : endsDiffer
        ? `same iterations, different endings: ${ta.terminationReason ?? ta.status} vs ${tb.terminationReason ?? tb.status}`
        : null
  }
}
