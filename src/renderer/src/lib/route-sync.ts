/**
 * Keeps the store and the address in step: every change of view pushes a history entry, and
 * an address the operator opens, reloads or reaches with back/forward is shown.
 */
import { useStore } from '../store'
import type { Store } from '../store'
import { selectLoop } from '../store/sync'
import { isElectron, shell } from '../transport'
import { reloadForNewToken } from '../transport/token'
import { formatRoute, parseRoute, routeOf, splitToken, type Route } from './route'

/** Set while the store follows the address, so that following it writes no new history entry. */
let following = false

function show(route: Route): void {
  const st = useStore.getState()
  if (route.view === 'loop') {
    if (st.selectedLoopId !== route.loopId || st.view !== 'loop') selectLoop(route.loopId, { tab: route.tab })
    useStore.setState({ loopTab: route.tab, selectedIteration: route.iteration })
  } else if (route.view === 'inbox') {
    useStore.setState({ view: 'inbox', openInboxKey: route.item })
  } else if (route.view === 'keys' && !shell) {
    throw new Error("the Keys screen is the desktop app's: the web shell takes API keys from its server's environment")
  } else {
    useStore.setState({ view: route.view })
  }
}

function followAddress(): void {
  // A link carrying a new token, opened in this tab, restarts the page with that token.
  if (!isElectron && reloadForNewToken()) return
  following = true
  try {
    show(parseRoute(splitToken(location.hash).hash))
  } catch (err) {
    useStore.getState().notify(`${(err as Error).message}; showing ${useStore.getState().view} instead`, 'info')
  } finally {
    following = false
  }
  // The canonical spelling of what is shown, in place of what was typed.
  writeAddress(useStore.getState(), 'replace')
}

function writeAddress(st: Store, how: 'push' | 'replace'): void {
  const hash = formatRoute(routeOf(st))
  if (hash === location.hash) return
  const url = location.pathname + location.search + hash
  if (how === 'push') history.pushState(null, '', url)
  else history.replaceState(null, '', url)
}

/** Start once, after the token was taken from the address. */
export function startRouting(): void {
  followAddress()
  window.addEventListener('popstate', followAddress)
  useStore.subscribe((st, prev) => {
    const changed =
      st.view !== prev.view || st.selectedLoopId !== prev.selectedLoopId || st.loopTab !== prev.loopTab || st.selectedIteration !== prev.selectedIteration || st.openInboxKey !== prev.openInboxKey
    if (changed) writeAddress(st, following ? 'replace' : 'push')
  })
}
