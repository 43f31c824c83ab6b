/** The selected loop: header, and tabs for its timeline, the state patch editor and time travel. */
import { ArchiveButton } from '../../components/ArchiveButton'
import { deferred } from '../../components/Deferred'
import { ErrorBoundary } from '../../components/ErrorBoundary'
import { useIterationRow } from '../../lib/use-iteration-row'
import { useStore } from '../../store'
import type { LoopTab } from '../../store/ui-slice'
import { IterationDetail } from './IterationDetail'
import { LoopHeader } from './LoopHeader'
import { SaveCaseDialog } from './SaveCaseDialog'
import { Timeline } from './Timeline'

// xterm and the rarer tabs are fetched when first shown: the first page does not parse them.
const Terminal = deferred('the terminal', () => import('./Terminal').then((m) => m.Terminal))
const TimeTravel = deferred('time travel', () => import('./TimeTravel').then((m) => m.TimeTravel))
const Compare = deferred('the comparison', () => import('./Compare').then((m) => m.Compare))
// The patch editor validates against the state schemas (zod): loaded with its tab.
const PatchEditor = deferred('the patch editor', () => import('./PatchEditor').then((m) => m.PatchEditor))

const TABS: { id: LoopTab; label: string }[] = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'patch', label: 'Patch state' },
  { id: 'travel', label: 'Time travel' },
  { id: 'compare', label: 'Compare' }
]

/** A loop whose recorded state cannot be drawn: said so, with the way out. */
function BrokenLoop({ loopId, error }: { loopId: string; error: string }) {
  const archived = useStore((st) => st.loops[loopId]?.archived ?? false)
  return (
    <section className="screen" data-testid="loop-broken">
      <h2>Loop {loopId} cannot be shown</h2>
      <p className="error">{error}</p>
      <p className="hint">Its recorded events do not describe a loop this control room can draw (they may come from a damaged or hostile bundle). Archive it to take it out of the lists; its events are kept.</p>
      <ArchiveButton loopId={loopId} archived={archived} />
    </section>
  )
}

export function LoopView() {
  const loopId = useStore((st) => st.selectedLoopId)
  return (
    <ErrorBoundary resetKey={loopId} fallback={(err) => <BrokenLoop loopId={loopId ?? ''} error={err.message} />}>
      <LoopScreen />
    </ErrorBoundary>
  )
}

function LoopScreen() {
  const detail = useStore((st) => st.detail)
  const error = useStore((st) => st.detailError)
  const tab = useStore((st) => st.loopTab)
  const setTab = useStore((st) => st.setLoopTab)
  const selectedIteration = useStore((st) => st.selectedIteration)
  const loopId = useStore((st) => st.selectedLoopId)
  // The selected iteration (else the newest), from the timeline's window or fetched.
  const { shown } = useIterationRow(selectedIteration)

  if (error) return <BrokenLoop loopId={loopId ?? ''} error={`could not load it: ${error}`} />
  if (!detail || detail.loopId !== loopId) return <p className="muted screen">Loading loop…</p>
  const { state } = detail

  return (
    <section className="screen loop-view" data-testid="loop-view" data-loop-id={state.loopId}>
      <LoopHeader state={state} endpoint={detail.endpoint} />
      {/* An imported loop's spec and folders are the bundle's: it is saved as a case only through a fork. */}
      {(state.status === 'terminated' || state.status === 'escalated') && !state.readOnly && (
        <div className="actions loop-eval-actions">
          <SaveCaseDialog key={state.loopId} state={state} />
        </div>
      )}
      <div className="tabs">
        {TABS.map((t) => (
          <button key={t.id} className={tab === t.id ? 'active' : ''} data-testid={`loop-tab-${t.id}`} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'timeline' && (
        <div className="timeline-layout">
          <Timeline workspace={state.workspace} />
          {shown && (
            <div className="below">
              <IterationDetail key={`${state.loopId}:${shown.row.iteration}`} loopId={state.loopId} row={shown.row} next={shown.next} workspace={state.workspace} />
              <Terminal loopId={state.loopId} row={shown.row} next={shown.next} />
            </div>
          )}
        </div>
      )}
      {tab === 'patch' && <PatchEditor key={state.loopId} state={state} />}
      {tab === 'travel' && <TimeTravel key={state.loopId} state={state} />}
      {tab === 'compare' && <Compare key={state.loopId} state={state} />}
    </section>
  )
}
