/**
 * The iteration timeline: one row per iteration, virtualized (100,000 rows scroll smoothly),
 * following the live iteration unless the operator scrolled away.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef } from 'react'
import type { IterationRow } from '../../../../shared/iterations'
import { summarizeAction } from '../../lib/actions'
import { fmtMs, fmtTokens } from '../../lib/format'
import { useStore } from '../../store'

const ROW_HEIGHT = 30

function Invariants({ inv }: { inv: IterationRow['invariants'] }) {
  if (!inv) return <span className="muted">…</span>
  if (inv.failing.length === 0) return <span className="ok">all {inv.checked} ok</span>
  return <span className="bad">✗ {inv.failing.join(', ')}</span>
}

function Result({ row }: { row: IterationRow }) {
  if (!row.result) return <span className="muted">{row.approval === 'pending' ? 'awaiting approval' : '…'}</span>
  return (
    <span className={row.result.ok ? 'ok' : 'bad'}>
      {row.result.ok ? 'ok' : 'fail'} · {row.result.summary}
    </span>
  )
}

function Row({ row, workspace, selected, onSelect }: { row: IterationRow; workspace: string | null; selected: boolean; onSelect: () => void }) {
  const action = summarizeAction(row.action, workspace)
  return (
    <div className={`tl-row${selected ? ' selected' : ''}`} data-testid="iteration-row" data-iteration={row.iteration} onClick={onSelect}>
      <span className="c-it">{row.iteration}</span>
      <span className="c-action" title={action}>
        {action}
        {row.approval && row.approval !== 'auto' && <span className={`approval approval-${row.approval}`}>{row.approval}</span>}
        {row.interrupted && (
          <span className="approval approval-interrupted" data-testid="row-interrupted" title="Andon stopped during this iteration; it was carried on after the restart">
            interrupted
          </span>
        )}
      </span>
      <span className="c-subgoal" title={row.subgoal}>
        {row.subgoal}
      </span>
      <span className="c-result" title={row.result?.summary}>
        <Result row={row} />
      </span>
      <span className="c-inv">
        <Invariants inv={row.invariants} />
      </span>
      <span className="c-tok">{fmtTokens(row.inputTokens + row.outputTokens)}</span>
      <span className="c-lat">{fmtMs(row.latencyMs)}</span>
    </div>
  )
}

export function Timeline({ rows, rowsRev, workspace }: { rows: IterationRow[]; rowsRev: number; workspace: string | null }) {
  const selected = useStore((st) => st.selectedIteration)
  const selectIteration = useStore((st) => st.selectIteration)
  const parentRef = useRef<HTMLDivElement>(null)
  const follow = useRef(true)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12
  })

  useEffect(() => {
    if (follow.current && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' })
  }, [rows.length, rowsRev, virtualizer])

  return (
    <div className="timeline" data-testid="timeline" data-rows={rows.length}>
      <div className="tl-row tl-head">
        <span className="c-it">#</span>
        <span className="c-action">action</span>
        <span className="c-subgoal">subgoal</span>
        <span className="c-result">result</span>
        <span className="c-inv">invariants</span>
        <span className="c-tok">tokens</span>
        <span className="c-lat">latency</span>
      </div>
      <div
        ref={parentRef}
        className="scroll"
        data-testid="timeline-scroll"
        onScroll={(e) => {
          const el = e.currentTarget
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2
        }}
      >
        {rows.length === 0 && <p className="empty">No iterations yet.</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]
            return (
              <div key={row.iteration} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
                <Row row={row} workspace={workspace} selected={row.iteration === selected} onSelect={() => selectIteration(row.iteration === selected ? null : row.iteration)} />
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
