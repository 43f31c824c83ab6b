import { useStore } from '../store'
import { shell } from '../transport'
import { HelpOverlay } from './HelpOverlay'
import { ImportBundle } from './ImportBundle'
import { StopAll } from './StopAll'
import type { View } from '../store/ui-slice'

export function Nav() {
  const view = useStore((st) => st.view)
  const setView = useStore((st) => st.setView)
  const inboxCount = useStore((st) => st.inbox.length)
  const connection = useStore((st) => st.connection)
  const hasLoop = useStore((st) => st.selectedLoopId !== null)
  const tab = (v: View, label: string, extra?: React.ReactNode) => (
    <button className={`nav-tab${view === v ? ' active' : ''}`} data-testid={`nav-${v}`} onClick={() => setView(v)} disabled={v === 'loop' && !hasLoop}>
      {label}
      {extra}
    </button>
  )
  return (
    <header className="nav">
      <span className="brand">
        <span className="brand-light" /> Andon
      </span>
      {tab('launch', 'Launch')}
      {tab('loop', 'Loop')}
      {tab(
        'inbox',
        'Inbox',
        <span className={`count${inboxCount > 0 ? ' hot' : ''}`} data-testid="inbox-count">
          {inboxCount}
        </span>
      )}
      {tab('fleet', 'Fleet')}
      {tab('evals', 'Evals')}
      {tab('settings', 'Settings')}
      <span className="spacer" />
      <StopAll />
      <ImportBundle />
      <HelpOverlay />
      {shell && tab('keys', 'Keys')}
      <span className={`conn conn-${connection}`} data-testid="connection" title="connection to the core">
        {connection === 'token-refused' ? 'token refused' : connection}
      </span>
    </header>
  )
}
