/**
 * `andon://` links: the desktop app's form of the web shell's deep links. `andon://loop/<id>/patch/3`
 * opens the same view as `#/loop/<id>/patch/3`. Anything on the machine can open such a link (a web
 * page, a chat message), so a link only ever changes the view: it never approves, launches or runs
 * anything, and the gate below refuses whatever is not plainly one of those addresses. Pure, so the
 * gate is unit-tested.
 */
import { isLoopTab, isPlainView, LOOP_TABS, MAX_ADDRESS_PART_LENGTH, PLAIN_VIEWS } from '../../shared/view-names'

export const APP_LINK_SCHEME = 'andon'
const PREFIX = `${APP_LINK_SCHEME}://`
/** Longer than any address the renderer would ask for (it is capped at 2048 characters too). */
export const MAX_APP_LINK_LENGTH = 2048

export type AppLinkResult = { ok: true; hash: string } | { ok: false; reason: string }

const refuse = (reason: string): AppLinkResult => ({ ok: false, reason })

/** Decodes one path segment and encodes it again the way the renderer's router writes it. */
function canonicalSegment(raw: string, what: string): string | { reason: string } {
  let value: string
  try {
    value = decodeURIComponent(raw)
  } catch {
    return { reason: `the ${what} is not valid URL encoding` }
  }
  if (value === '' || value === '.' || value === '..') return { reason: `the link has no ${what}` }
  if (value.length > MAX_ADDRESS_PART_LENGTH) return { reason: `the ${what} is longer than ${MAX_ADDRESS_PART_LENGTH} characters` }
  if (/[\u0000-\u001f\u007f]/.test(value)) return { reason: `the ${what} contains control characters` }
  return encodeURIComponent(value)
}

function loopHash(rest: string[]): AppLinkResult {
  const [id, tab, iteration, ...extra] = rest
  if (id === undefined) return refuse('the link names no loop: andon://loop/<loop id>')
  if (extra.length > 0) return refuse('the link has more parts than a loop view: andon://loop/<loop id>/<tab>/<iteration>')
  const loopId = canonicalSegment(id, 'loop id')
  if (typeof loopId !== 'string') return refuse(loopId.reason)
  if (tab === undefined) return { ok: true, hash: `#/loop/${loopId}` }
  if (!isLoopTab(tab)) return refuse(`a loop has no such tab (${LOOP_TABS.join(', ')})`)
  if (iteration === undefined) return { ok: true, hash: `#/loop/${loopId}/${tab}` }
  if (!/^(0|[1-9]\d{0,8})$/.test(iteration)) return refuse('an iteration is a whole number')
  return { ok: true, hash: `#/loop/${loopId}/${tab}/${iteration}` }
}

/**
 * The view an `andon://` link opens, as the renderer's address (`#/inbox/<key>`), or why it is
 * refused. The reason never quotes the link: it may carry a token pasted by mistake.
 */
export function parseAppLink(raw: string): AppLinkResult {
  if (raw.length > MAX_APP_LINK_LENGTH) return refuse(`the link is longer than ${MAX_APP_LINK_LENGTH} characters`)
  // Schemes are case-insensitive (`ANDON://fleet`); the rest of the link is not.
  const link = raw.slice(0, PREFIX.length).toLowerCase() + raw.slice(PREFIX.length)
  if (!link.startsWith(PREFIX)) return refuse(`the link does not start with ${PREFIX}`)
  if (/[\s\u0000-\u001f\u007f\\]/.test(link)) return refuse('the link contains spaces, control characters or backslashes')
  // The query and fragment are dropped, a `token=` with them: a link names a view and nothing else.
  const path = link.slice(PREFIX.length).split(/[?#]/)[0].replace(/\/$/, '')
  const [screen, ...rest] = path.split('/')
  if (screen.includes('@')) return refuse('the link carries credentials')
  if (rest.some((segment) => segment === '')) return refuse('the link has an empty part')
  if (screen === 'loop') return loopHash(rest)
  if (screen === 'inbox') {
    if (rest.length === 0) return { ok: true, hash: '#/inbox' }
    if (rest.length > 1) return refuse('the link has more parts than an inbox item: andon://inbox/<item>')
    const key = canonicalSegment(rest[0], 'inbox item')
    return typeof key === 'string' ? { ok: true, hash: `#/inbox/${key}` } : refuse(key.reason)
  }
  if (isPlainView(screen)) {
    return rest.length === 0 ? { ok: true, hash: `#/${screen}` } : refuse(`the ${screen} screen takes nothing after its name`)
  }
  return refuse(`the link names no known screen (loop, inbox, ${PLAIN_VIEWS.join(', ')})`)
}

/**
 * The `andon://` link among a launch's arguments, if any: on Windows and Linux the system starts
 * the app (or a second instance of it) with the link as an argument, among Chromium's own flags.
 */
export function linkInArgv(argv: readonly string[]): string | null {
  const links = argv.filter((arg) => arg.toLowerCase().startsWith(`${APP_LINK_SCHEME}:`))
  return links.at(-1) ?? null
}
