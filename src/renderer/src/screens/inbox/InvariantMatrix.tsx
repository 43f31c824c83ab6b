/** Invariants × iterations: which check failed when, from the packet's history and the recorded checks. */
import { useEffect, useState } from 'react'
import type { EscalationPacket } from '../../../../shared/escalation'
import { iterationRange, loadRange } from '../../lib/events'
import { andon } from '../../transport'

type Cell = { ok: boolean; detail: string }
const SHOWN_ITERATIONS = 12

export function InvariantMatrix({ packet }: { packet: EscalationPacket }) {
  const [checks, setChecks] = useState<Map<string, Map<number, Cell>>>(new Map())

  useEffect(() => {
    let stale = false
    ;(async () => {
      const { iterations, state } = await andon.getLoop({ loopId: packet.loopId })
      const recent = iterations.slice(-SHOWN_ITERATIONS)
      if (recent.length === 0) return
      const from = iterationRange(iterations, recent[0].iteration, state.version)?.[0] ?? 1
      const events = await loadRange(packet.loopId, from, state.version)
      const map = new Map<string, Map<number, Cell>>()
      for (const ev of events) {
        if (ev.type !== 'InvariantChecked') continue
        for (const r of ev.data.results) {
          if (!map.has(r.name)) map.set(r.name, new Map())
          map.get(r.name)?.set(ev.data.iteration, { ok: r.ok, detail: r.detail })
        }
      }
      if (!stale) setChecks(map)
    })().catch(() => undefined)
    return () => {
      stale = true
    }
  }, [packet.loopId, packet.id])

  // The packet's own history wins where both know an iteration: it is what the loop stopped on.
  const grid = new Map<string, Map<number, Cell>>()
  for (const [name, cells] of checks) grid.set(name, new Map(cells))
  for (const f of packet.failingInvariants) {
    const cells = grid.get(f.name) ?? new Map<number, Cell>()
    for (const h of f.history) cells.set(h.iteration, { ok: h.ok, detail: h.ok ? '' : f.detail })
    grid.set(f.name, cells)
  }
  const iterations = [...new Set([...grid.values()].flatMap((c) => [...c.keys()]))].sort((a, b) => a - b).slice(-SHOWN_ITERATIONS)
  const failing = new Set(packet.failingInvariants.map((f) => f.name))
  const names = [...grid.keys()].sort((a, b) => Number(failing.has(b)) - Number(failing.has(a)) || a.localeCompare(b))
  if (names.length === 0) return <p className="muted">No invariant checks recorded.</p>

  return (
    <table className="matrix" data-testid="invariant-matrix">
      <thead>
        <tr>
          <th>invariant</th>
          {iterations.map((it) => (
            <th key={it}>#{it}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.map((name) => (
          <tr key={name} className={failing.has(name) ? 'failing' : ''} data-testid="matrix-row" data-invariant={name}>
            <th>{name}</th>
            {iterations.map((it) => {
              const cell = grid.get(name)?.get(it)
              return (
                <td key={it} className={cell ? (cell.ok ? 'cell-ok' : 'cell-bad') : 'cell-none'} title={cell?.detail}>
                  {cell ? (cell.ok ? '✓' : '✗') : '·'}
                </td>
              )
            })}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
