/**
 * Every loop, searched, filtered and sorted in memory, virtualized so thousands of loops stay
 * smooth: only the rows on screen are drawn.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { useMemo, useRef, useState } from 'react'
import { createListing, isFiltered, LIST_SETTLE_MS } from '../lib/loop-filter'
import { useNow } from '../lib/use-now'
import { useThrottled } from '../lib/use-throttled'
import { useStore } from '../store'
import { refreshLoops } from '../store/sync'
import { ArchiveButton } from './ArchiveButton'
import { ErrorBoundary } from './ErrorBoundary'
import { ListControls } from './loops/ListControls'
import { LoopRow } from './loops/LoopRow'

const ROW_HEIGHT = 76
/** Relative times on rows ("updated 5m ago") are re-read this often. */
const ROW_CLOCK_MS = 15_000

/** A row that failed to render: the loop is named and can still be archived. */
function BrokenRow({ loopId }: { loopId: string }) {
  const archived = useStore((st) => st.showArchived)
  return (
    <div className="loop-row damaged" data-testid="loop-row" data-loop-id={loopId} data-damaged="true">
      <div className="loop-row-top">
        <span className="loop-name">{loopId}</span>
        <span className="badge badge-bad">cannot be shown</span>
      </div>
      <div className="loop-row-meta">
        <ArchiveButton loopId={loopId} archived={archived} />
      </div>
    </div>
  )
}

export function LoopsList() {
  const loops = useStore((st) => st.loops)
  const total = useStore((st) => st.order.length)
  const query = useStore((st) => st.listQuery)
  const selected = useStore((st) => st.selectedLoopId)
  const loaded = useStore((st) => st.loopsLoaded)
  const waitingTotal = useStore((st) => st.inbox.length)
  const showArchived = useStore((st) => st.showArchived)
  const now = useNow(ROW_CLOCK_MS)
  const settled = useThrottled(loops, LIST_SETTLE_MS)
  const [listing] = useState(createListing)
  const ids = useMemo(() => listing(settled, query), [listing, settled, query])
  const filtered = isFiltered(query)
  const parentRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8
  })

  return (
    <aside className="loops-pane" data-testid="loops-list" aria-label="loops">
      <div className="pane-title">
        <span data-testid="loops-count">
          {showArchived ? 'Archived' : 'Loops'} ({filtered ? `${ids.length} of ${total}` : total})
        </span>
        {waitingTotal > 0 && !showArchived && <span className="waiting">⚑ {waitingTotal} waiting</span>}
        <button
          className="link"
          data-testid="show-archived"
          aria-pressed={showArchived}
          onClick={() => {
            useStore.getState().setShowArchived(!showArchived)
            void refreshLoops()
          }}
        >
          {showArchived ? 'Show loops' : 'Show archived'}
        </button>
      </div>
      <ListControls />
      {loaded && total === 0 && <p className="empty">{showArchived ? 'No archived loops.' : 'No loops yet. Launch one.'}</p>}
      {loaded && total > 0 && ids.length === 0 && (
        <p className="empty" data-testid="loops-none-match">
          No loop matches.{' '}
          <button className="link" onClick={() => useStore.getState().setListQuery({ search: '', status: 'all', policy: null, tag: null })}>
            Clear the filters
          </button>
        </p>
      )}
      <div ref={parentRef} className="scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const id = ids[item.index]
            return (
              <div key={id} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
                <ErrorBoundary resetKey={id} fallback={() => <BrokenRow loopId={id} />}>
                  <LoopRow loopId={id} selected={id === selected} now={now} />
                </ErrorBoundary>
              </div>
            )
          })}
        </div>
      </div>
    </aside>
  )
}
