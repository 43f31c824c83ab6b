/**
 * The iteration timeline: one slot per iteration, virtualized, the rows fetched a page at a time as
 * slots come into view (see row-window); a slot whose page is on its way shows a placeholder.
 * Follows the live iteration unless the operator scrolled away. A grid for the keyboard:
 * Up/Down (Page, Home, End) move between rows, Enter opens the iteration below.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react'
import { spanCount } from '../../../../shared/iterations'
import { useStore } from '../../store'
import { needRows } from '../../store/row-pages'
import { TIMELINE_COLUMNS, TimelineRow } from './TimelineRow'

const ROW_HEIGHT = 30
const PAGE_ROWS = 10
/** Slots in view settle this long before their pages are asked for: a fling asks only where it stops. */
const FETCH_DELAY_MS = 40

/** A slot whose row is being fetched. */
function Placeholder({ iteration, index, focusable, style, onSelect }: { iteration: number; index: number; focusable: boolean; style: CSSProperties; onSelect: () => void }) {
  return (
    <div className="tl-row tl-placeholder" role="row" aria-rowindex={index + 2} aria-busy tabIndex={focusable ? 0 : -1} data-index={index} data-testid="iteration-placeholder" data-iteration={iteration} style={style} onClick={onSelect}>
      <span className="c-it" role="gridcell">
        {iteration}
      </span>
      <span className="muted" role="gridcell">
        loading…
      </span>
    </div>
  )
}

export function Timeline({ workspace }: { workspace: string | null }) {
  const held = useStore((st) => st.detail?.rows)
  // Rows are folded in place: the revision re-renders the list when they change.
  useStore((st) => st.detail?.rowsRev ?? 0)
  const selected = useStore((st) => st.selectedIteration)
  const selectIteration = useStore((st) => st.selectIteration)
  const parentRef = useRef<HTMLDivElement>(null)
  const follow = useRef(true)
  // The slot the keyboard is on (roving focus); null: the selected row, else the newest.
  const [cursor, setCursor] = useState<number | null>(null)
  const focusCursor = useRef(false)
  const first = held?.span.first ?? 0
  const count = held ? spanCount(held.span) : 0
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    // Rows have a fixed height: a few beyond the edges cover a wheel step; each one more is built on every frame of a fling.
    overscan: 4
  })

  // A new iteration (or another loop's rows) is followed; an update of rows in place moves nothing,
  // and scrolling forces a layout (the virtualizer reads the list's scroll extent).
  useEffect(() => {
    if (follow.current && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' })
  }, [count, held, virtualizer])

  const selectedIndex = selected === null ? -1 : selected - first
  const active = Math.min(cursor ?? (selectedIndex >= 0 && selectedIndex < count ? selectedIndex : count - 1), count - 1)

  // The slot that has the focus: when its placeholder is replaced by the fetched row, the row takes it.
  const focusedSlot = useRef<string | null>(null)
  // A row scrolled into view by the keyboard takes the focus once it is drawn.
  useEffect(() => {
    if (focusCursor.current) {
      const el = parentRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)
      if (el) {
        el.focus({ preventScroll: true })
        focusCursor.current = false
      }
    } else if (focusedSlot.current !== null && document.activeElement === document.body) {
      const el = parentRef.current?.querySelector<HTMLElement>(`[data-index="${focusedSlot.current}"]`)
      if (el) el.focus({ preventScroll: true })
      else focusedSlot.current = null
    }
  })

  const drawn = virtualizer.getVirtualItems()
  const drawnFrom = drawn[0]?.index ?? 0
  const drawnTo = drawn[drawn.length - 1]?.index ?? -1
  // The pages of the slots drawn (overscan included), once the list stops moving.
  useEffect(() => {
    if (drawnTo < drawnFrom) return
    const timer = setTimeout(() => needRows(drawnFrom, drawnTo), FETCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [drawnFrom, drawnTo, count])

  function moveTo(index: number) {
    const next = Math.max(0, Math.min(count - 1, index))
    follow.current = next === count - 1
    setCursor(next)
    focusCursor.current = true
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (count === 0) return
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + PAGE_ROWS, PageUp: active - PAGE_ROWS, Home: 0, End: count - 1 }
    if (e.key in moves) {
      e.preventDefault()
      moveTo(moves[e.key])
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      selectIteration(first + active)
    }
  }

  const activeDrawn = drawn.some((item) => item.index === active)

  return (
    <div className="timeline" data-testid="timeline" data-rows={count} role="grid" aria-label="iterations" aria-rowcount={count + 1}>
      <div className="tl-row tl-head" role="row" aria-rowindex={1}>
        {TIMELINE_COLUMNS.map((c) => (
          <span key={c} className={`c-${c === '#' ? 'it' : c}`} role="columnheader">
            {c}
          </span>
        ))}
      </div>
      {count === 0 && <p className="empty">No iterations yet.</p>}
      <div
        ref={parentRef}
        className="scroll"
        role="rowgroup"
        data-testid="timeline-scroll"
        // When the keyboard's row is scrolled out of the DOM, the list itself takes the Tab stop and hands it on.
        tabIndex={activeDrawn || count === 0 ? -1 : 0}
        onFocus={(e) => {
          if (e.target === e.currentTarget && count > 0) moveTo(active)
        }}
        onKeyDown={onKeyDown}
        onFocusCapture={(e) => {
          focusedSlot.current = (e.target as HTMLElement).dataset.index ?? null
        }}
        onBlurCapture={(e) => {
          // Focus moved elsewhere on purpose (not lost with a replaced row): nothing to give back.
          if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget as Node)) focusedSlot.current = null
        }}
        onScroll={(e) => {
          const el = e.currentTarget
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="presentation">
          {drawn.map((item) => {
            const iteration = first + item.index
            const row = held?.rows.get(iteration)
            const style: CSSProperties = { position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }
            const onSelect = () => {
              setCursor(item.index)
              selectIteration(iteration === selected ? null : iteration)
            }
            if (!row) return <Placeholder key={iteration} iteration={iteration} index={item.index} focusable={item.index === active} style={style} onSelect={onSelect} />
            return (
              <TimelineRow
                key={iteration}
                row={row}
                index={item.index}
                workspace={workspace}
                selected={iteration === selected}
                focusable={item.index === active}
                style={style}
                onSelect={onSelect}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}
