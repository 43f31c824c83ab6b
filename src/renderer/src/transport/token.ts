/**
 * The web shell's token arrives in the URL fragment (never sent to servers or logs), alone
 * (`#token=…`) or beside a view's address (`#/loop/l1/timeline?token=…`). It is moved to
 * sessionStorage and cleared from the address bar at once, leaving the view's address in place.
 */
import { splitToken } from '../lib/route'

const KEY = 'andon.token'

/** Moves a token in the address to sessionStorage; true when it differs from the one held before. */
function moveTokenFromAddress(): boolean {
  const { token, hash } = splitToken(window.location.hash)
  if (!token) return false
  const held = sessionStorage.getItem(KEY)
  sessionStorage.setItem(KEY, token)
  history.replaceState(null, '', window.location.pathname + window.location.search + hash)
  return token !== held
}

/** At page load: the token this tab uses. */
export function takeToken(): string | null {
  moveTokenFromAddress()
  return sessionStorage.getItem(KEY)
}

/**
 * A link with a token opened in a tab already open changes only the fragment, so the page does
 * not load again: a new token is kept and the page reloaded, so that every connection uses it
 * (this is how a tab whose token was refused recovers). True when the page is reloading.
 */
export function reloadForNewToken(): boolean {
  if (!moveTokenFromAddress()) return false
  window.location.reload()
  return true
}
