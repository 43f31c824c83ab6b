/**
 * The view's address in the URL fragment, so a reload keeps the view, back/forward move between
 * views and a copied link opens the same view: `#/loop/<id>/<tab>[/<iteration>]`,
 * `#/inbox[/<item key>]`, `#/launch`, `#/fleet`, `#/keys`, `#/settings`. The fragment works under the Electron
 * shell's own scheme as well as over HTTP, and is never sent to a server. The web shell's token may ride
 * along (`#/loop/l1/patch?token=…`, or alone as `#token=…`); it is split off before routing.
 */
import { isLoopTab, isPlainView, LOOP_TABS, MAX_ADDRESS_PART_LENGTH, PLAIN_VIEWS, type LoopTab, type PlainView, type View } from '../../../shared/view-names'

export type Route =
  | { view: 'loop'; loopId: string; tab: LoopTab; iteration: number | null }
  | { view: 'inbox'; item: string | null }
  | { view: PlainView }

export const DEFAULT_ROUTE: Route = { view: 'launch' }

export class RouteError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RouteError'
  }
}

/** Splits `token=` out of a fragment, giving back the fragment without it. */
export function splitToken(hash: string): { token: string | null; hash: string } {
  const body = hash.replace(/^#/, '')
  const q = body.indexOf('?')
  // A bare `#token=…` (the URL the web shell prints) is all parameters, no path.
  const [path, query] = q >= 0 ? [body.slice(0, q), body.slice(q + 1)] : body.startsWith('/') || !body.includes('=') ? [body, ''] : ['', body]
  const params = new URLSearchParams(query)
  const token = params.get('token')
  params.delete('token')
  const rest = params.toString()
  return { token: token || null, hash: path || rest ? `#${path}${rest ? `?${rest}` : ''}` : '' }
}

/**
 * Names a part of the address in an error only when it is short enough to be a mistyped name: a
 * longer one may be a token pasted in the wrong place, and the error is shown on screen.
 */
function named(what: string, part: string): string {
  return part.length <= 20 ? `${what} "${part}"` : `such ${what}`
}

function decodeSegment(segment: string, what: string): string {
  let value: string
  try {
    value = decodeURIComponent(segment)
  } catch {
    throw new RouteError(`the ${what} in the address is not valid URL encoding`)
  }
  if (value === '') throw new RouteError(`the address has an empty ${what}`)
  if (value.length > MAX_ADDRESS_PART_LENGTH) throw new RouteError(`the ${what} in the address is longer than ${MAX_ADDRESS_PART_LENGTH} characters`)
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new RouteError(`the ${what} in the address contains control characters`)
  return value
}

function parseIteration(segment: string): number {
  if (!/^(0|[1-9]\d{0,8})$/.test(segment)) throw new RouteError(`the address names no ${named('iteration', segment)}: an iteration is a whole number`)
  return Number(segment)
}

/**
 * Reads a fragment (with or without `#`, token already split off). Throws RouteError saying what
 * is wrong, quoting no more of the address than a short mistyped name.
 */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#/, '').split('?')[0].replace(/\/$/, '')
  if (body === '') return DEFAULT_ROUTE
  if (!body.startsWith('/')) throw new RouteError('the address must start with "#/"')
  const [screen, ...rest] = body.slice(1).split('/')
  if (screen === 'loop') {
    const [id, tab = 'timeline', iteration, ...extra] = rest
    if (id === undefined) throw new RouteError('the address names no loop: #/loop/<loop id>')
    if (!isLoopTab(tab)) throw new RouteError(`a loop has no ${named('tab', tab)} (${LOOP_TABS.join(', ')})`)
    if (extra.length > 0) throw new RouteError('the address has more parts than a loop view: #/loop/<loop id>/<tab>/<iteration>')
    return { view: 'loop', loopId: decodeSegment(id, 'loop id'), tab, iteration: iteration === undefined ? null : parseIteration(iteration) }
  }
  if (screen === 'inbox') {
    if (rest.length > 1) throw new RouteError('the address has more parts than an inbox item: #/inbox/<item>')
    return { view: 'inbox', item: rest.length === 1 ? decodeSegment(rest[0], 'inbox item') : null }
  }
  if (isPlainView(screen)) {
    if (rest.length > 0) throw new RouteError(`the ${screen} screen takes nothing after its name: #/${screen}`)
    return { view: screen }
  }
  throw new RouteError(`the address names no ${named('screen', screen)} (loop, inbox, ${PLAIN_VIEWS.join(', ')})`)
}

/** The canonical fragment of a route, `#` included. */
export function formatRoute(route: Route): string {
  switch (route.view) {
    case 'loop':
      return `#/loop/${encodeURIComponent(route.loopId)}/${route.tab}${route.iteration === null ? '' : `/${route.iteration}`}`
    case 'inbox':
      return route.item === null ? '#/inbox' : `#/inbox/${encodeURIComponent(route.item)}`
    default:
      return `#/${route.view}`
  }
}

/** What the store shows, as a route. */
export function routeOf(st: { view: View; selectedLoopId: string | null; loopTab: LoopTab; selectedIteration: number | null; openInboxKey: string | null }): Route {
  if (st.view === 'loop') {
    return st.selectedLoopId === null ? DEFAULT_ROUTE : { view: 'loop', loopId: st.selectedLoopId, tab: st.loopTab, iteration: st.selectedIteration }
  }
  if (st.view === 'inbox') return { view: 'inbox', item: st.openInboxKey }
  return { view: st.view }
}
