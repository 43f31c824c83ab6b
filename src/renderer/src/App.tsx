import { LoopsList } from './components/LoopsList'
import { Nav } from './components/Nav'
import { Inbox } from './screens/inbox/Inbox'
import { Keys } from './screens/Keys'
import { LaunchForm } from './screens/LaunchForm'
import { LoopView } from './screens/loop/LoopView'
import { useStore } from './store'

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
  return (
    <div className="app">
      <Nav />
      <div className="body">
        <LoopsList />
        <main className="main">
          {view === 'launch' && <LaunchForm />}
          {view === 'loop' && <LoopView />}
          {view === 'inbox' && <Inbox />}
          {view === 'keys' && <Keys />}
        </main>
      </div>
      <Notice />
    </div>
  )
}
