/**
 * The iteration timeline: one row per iteration, virtualized (100,000 rows scroll smoothly),
 * following the live iteration unless the operator scrolled away. A grid for the keyboard:
 * Up/Down (Page, Home, End) move between rows, Enter opens the iteration below.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { IterationRow } from '../../../../shared/iterations'
import { useStore } from '../../store'
import { TIMELINE_COLUMNS, TimelineRow } from './TimelineRow'

const ROW_HEIGHT = 30
const PAGE_ROWS = 10

export function Timeline({ rows, rowsRev, workspace }: { rows: IterationRow[]; rowsRev: number; workspace: string | null }) {
  const selected = useStore((st) => st.selectedIteration)
  const selectIteration = useStore((st) => st.selectIteration)
  const parentRef = useRef<HTMLDivElement>(null)
  const follow = useRef(true)
  // The row the keyboard is on (roving focus); null: the selected row, else the newest.
  const [cursor, setCursor] = useState<number | null>(null)
  const focusCursor = useRef(false)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12
  })

  useEffect(() => {
    if (follow.current && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' })
  }, [rows.length, rowsRev, virtualizer])

  const selectedIndex = selected === null ? -1 : rows.findIndex((r) => r.iteration === selected)
  const active = Math.min(cursor ?? (selectedIndex >= 0 ? selectedIndex : rows.length - 1), rows.length - 1)

  // A row scrolled into view by the keyboard takes the focus once it is drawn.
  useEffect(() => {
    if (!focusCursor.current) return
    const el = parentRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)
    if (el) {
      el.focus({ preventScroll: true })
      focusCursor.current = false
    }
  })

  function moveTo(index: number) {
    const next = Math.max(0, Math.min(rows.length - 1, index))
    follow.current = next === rows.length - 1
    setCursor(next)
    focusCursor.current = true
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (rows.length === 0) return
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + PAGE_ROWS, PageUp: active - PAGE_ROWS, Home: 0, End: rows.length - 1 }
    if (e.key in moves) {
      e.preventDefault()
      moveTo(moves[e.key])
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      selectIteration(rows[active].iteration)
    }
  }

  const drawn = virtualizer.getVirtualItems()
  const activeDrawn = drawn.some((item) => item.index === active)

  return (
    <div className="timeline" data-testid="timeline" data-rows={rows.length} role="grid" aria-label="iterations" aria-rowcount={rows.length + 1}>
      <div className="tl-row tl-head" role="row" aria-rowindex={1}>
        {TIMELINE_COLUMNS.map((c) => (
          <span key={c} className={`c-${c === '#' ? 'it' : c}`} role="columnheader">
            {c}
          </span>
        ))}
      </div>
      {rows.length === 0 && <p className="empty">No iterations yet.</p>}
      <div
        ref={parentRef}
        className="scroll"
        role="rowgroup"
        data-testid="timeline-scroll"
        // When the keyboard's row is scrolled out of the DOM, the list itself takes the Tab stop and hands it on.
        tabIndex={activeDrawn || rows.length === 0 ? -1 : 0}
        onFocus={(e) => {
          if (e.target === e.currentTarget && rows.length > 0) moveTo(active)
        }}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          const el = e.currentTarget
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="presentation">
          {drawn.map((item) => {
            const row = rows[item.index]
            return (
              <TimelineRow
                key={row.iteration}
                row={row}
                index={item.index}
                workspace={workspace}
                selected={row.iteration === selected}
                focusable={item.index === active}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onSelect={() => {
                  setCursor(item.index)
                  selectIteration(row.iteration === selected ? null : row.iteration)
                }}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}
