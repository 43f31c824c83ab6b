/** Every loop, newest first, virtualized so thousands of loops stay smooth. */
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useRef } from 'react'
import { useStore } from '../store'
import { refreshLoops, selectLoop } from '../store/sync'
import { ArchiveButton } from './ArchiveButton'
import { ErrorBoundary } from './ErrorBoundary'
import { fmtUsd } from '../lib/format'
import { StatusBadge } from './StatusBadge'

const ROW_HEIGHT = 58

const LoopRow = memo(function LoopRow({ loopId, selected }: { loopId: string; selected: boolean }) {
  const s = useStore((st) => st.loops[loopId])
  const parentName = useStore((st) => (s?.parentLoopId ? (st.loops[s.parentLoopId]?.name ?? s.parentLoopId) : null))
  if (!s) return null
  if (s.damaged) {
    return (
      <div className="loop-row damaged" data-testid="loop-row" data-loop-id={loopId} data-damaged="true" title={s.damaged}>
        <div className="loop-row-top">
          <span className="loop-name">{s.name}</span>
          <span className="badge badge-bad">damaged</span>
        </div>
        <div className="loop-row-meta">
          <span className="muted">its record cannot be read</span>
          <ArchiveButton loopId={loopId} archived={s.archived} />
        </div>
      </div>
    )
  }
  return (
    <button
      className={`loop-row${selected ? ' selected' : ''}`}
      data-testid="loop-row"
      data-loop-id={loopId}
      onClick={() => selectLoop(loopId)}
      title={s.loopId}
    >
      <div className="loop-row-top">
        <span className="loop-name">{s.name}</span>
        <StatusBadge status={s.status} reason={s.terminationReason} />
      </div>
      <div className="loop-row-meta">
        <span title="iterations">#{s.iteration}</span>
        <span>{s.policy}</span>
        <span>{fmtUsd(s.costUsd)}</span>
        {s.waiting > 0 && (
          <span className="waiting" data-testid="loop-waiting" title="approvals or escalations waiting">
            ⚑ {s.waiting}
          </span>
        )}
        {s.readOnly && <span className="muted">read-only</span>}
        {parentName && <span className="fork-of" title={`forked from ${s.parentLoopId}`}>⑂ {parentName}</span>}
      </div>
    </button>
  )
})

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
  const order = useStore((st) => st.order)
  const selected = useStore((st) => st.selectedLoopId)
  const loaded = useStore((st) => st.loopsLoaded)
  const waitingTotal = useStore((st) => st.inbox.length)
  const showArchived = useStore((st) => st.showArchived)
  const parentRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: order.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8
  })

  return (
    <aside className="loops-pane" data-testid="loops-list">
      <div className="pane-title">
        <span>{showArchived ? 'Archived' : 'Loops'} ({order.length})</span>
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
      {loaded && order.length === 0 && <p className="empty">{showArchived ? 'No archived loops.' : 'No loops yet. Launch one.'}</p>}
      <div ref={parentRef} className="scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div key={order[item.index]} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
              <ErrorBoundary resetKey={order[item.index]} fallback={() => <BrokenRow loopId={order[item.index]} />}>
                <LoopRow loopId={order[item.index]} selected={order[item.index] === selected} />
              </ErrorBoundary>
            </div>
          ))}
        </div>
      </div>
    </aside>
  )
}
