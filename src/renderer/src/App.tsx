import { deferred } from './components/Deferred'
import { ErrorBoundary } from './components/ErrorBoundary'
import { LoopsList } from './components/LoopsList'
import { Nav } from './components/Nav'
import { Inbox } from './screens/inbox/Inbox'
import { LoopView } from './screens/loop/LoopView'
import { useStore } from './store'
import { missingToken } from './transport'

// Screens an operator opens now and then are fetched when first opened; the first page does not parse them.
const Fleet = deferred('the fleet', () => import('./screens/fleet/Fleet').then((m) => m.Fleet))
const Evals = deferred('evals', () => import('./screens/evals/Evals').then((m) => m.Evals))
const Keys = deferred('keys', () => import('./screens/Keys').then((m) => m.Keys))
// The launch form validates with the contract's schemas (zod): fetched with the form, not on the first page.
const LaunchForm = deferred('the launch form', () => import('./screens/LaunchForm').then((m) => m.LaunchForm))
const Settings = deferred('settings', () => import('./screens/settings/Settings').then((m) => m.Settings))

function Notice() {
  const notice = useStore((st) => st.notice)
  if (!notice) return null
  return (
    <div className={`notice notice-${notice.kind}`} data-testid="notice" role="status">
      <span>{notice.text}</span>
      <button className="link" onClick={() => useStore.setState({ notice: null })}>
        dismiss
      </button>
    </div>
  )
}

export function App() {
  const view = useStore((st) => st.view)
  if (missingToken) {
    return (
      <div className="app">
        <section className="screen" data-testid="missing-token">
          <h2>Open the control room with its token</h2>
          <p>This page needs the access token the server printed when it started. Open the full URL it printed, which ends in <code>#token=…</code>.</p>
        </section>
      </div>
    )
  }
  return (
    <div className="app">
      <Nav />
      <div className="body">
        <LoopsList />
        <main className="main">
          <ErrorBoundary resetKey={view} fallback={(err) => <p className="error screen">This screen failed: {err.message}. Pick another loop or screen.</p>}>
            {view === 'launch' && <LaunchForm />}
            {view === 'loop' && <LoopView />}
            {view === 'inbox' && <Inbox />}
            {view === 'fleet' && <Fleet />}
            {view === 'evals' && <Evals />}
            {view === 'keys' && <Keys />}
            {view === 'settings' && <Settings />}
          </ErrorBoundary>
        </main>
      </div>
      <Notice />
    </div>
  )
}
