/** One inbox for approvals and escalations across all loops. */
import { deferred } from '../../components/Deferred'
import { ErrorBoundary } from '../../components/ErrorBoundary'
import { StatusBadge } from '../../components/StatusBadge'
import { fmtTime } from '../../lib/format'
import { SHORTCUTS, useShortcut } from '../../lib/shortcuts'
import { useStore } from '../../store'
import { inboxKey } from '../../store/inbox-slice'
import { selectLoop } from '../../store/sync'
import { ApprovalCard } from './ApprovalCard'

// An escalation's view parses its packet with the events' schemas (zod): fetched when one is shown.
const EscalationView = deferred('the escalation', () => import('./EscalationView').then((m) => m.EscalationView))

export function Inbox() {
  const items = useStore((st) => st.inbox)
  const openKey = useStore((st) => st.openInboxKey)
  const open = useStore((st) => st.openInboxItem)
  const loops = useStore((st) => st.loops)
  const current = items.find((i) => inboxKey(i) === openKey) ?? items[0]
  // j / k walk the list and take focus along, so the opened item is also the focused one.
  const step = (by: number) => {
    const next = current ? items[items.indexOf(current) + by] : undefined
    if (!next) return
    open(inboxKey(next))
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-inbox-key="${CSS.escape(inboxKey(next))}"]`)?.focus())
  }
  useShortcut(SHORTCUTS.next, () => step(1), items.length > 1, 'the inbox has no other item')
  useShortcut(SHORTCUTS.previous, () => step(-1), items.length > 1, 'the inbox has no other item')
  useShortcut(SHORTCUTS.openLoop, () => current && selectLoop(current.loopId), current !== undefined, 'the inbox is empty')

  return (
    <section className="screen inbox" data-testid="inbox">
      <h2>Inbox ({items.length})</h2>
      {items.length === 0 && <p className="empty">Nothing waiting. Loops that need you appear here.</p>}
      <div className="inbox-layout">
        <ul className="inbox-list">
          {items.map((item) => {
            const key = inboxKey(item)
            const s = loops[item.loopId]
            return (
              <li key={key}>
                <button className={`inbox-item${current && inboxKey(current) === key ? ' selected' : ''}`} aria-current={current && inboxKey(current) === key ? 'true' : undefined} data-inbox-key={key} data-testid="inbox-item" data-kind={item.kind} data-loop-id={item.loopId} data-iteration={item.iteration} onClick={() => open(key)}>
                  <span className={`kind kind-${item.kind}`}>{item.kind}</span>
                  {s ? <StatusBadge status={s.status} reason={s.terminationReason} /> : <span />}
                  <span className="inbox-loop">{item.loopName}</span>
                  <span className="inbox-summary">{item.summary}</span>
                  <span className="muted">
                    #{item.iteration} · {fmtTime(item.at)}
                  </span>
                </button>
              </li>
            )
          })}
        </ul>
        {current && (
          <div className="inbox-detail" key={inboxKey(current)}>
            <p>
              <button className="link" onClick={() => selectLoop(current.loopId)}>
                open loop {current.loopName} →
              </button>
            </p>
            <ErrorBoundary resetKey={inboxKey(current)} fallback={(err) => <p className="error" data-testid="inbox-item-broken">This item cannot be shown ({err.message}). Open its loop, or archive it there.</p>}>
              {current.kind === 'approval' ? <ApprovalCard item={current} /> : current.packet ? <EscalationView packet={current.packet} version={current.version} /> : <p>{current.summary}</p>}
            </ErrorBoundary>
          </div>
        )}
      </div>
    </section>
  )
}
