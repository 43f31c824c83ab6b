/**
 * The web shell's token arrives in the URL fragment (never sent to servers or logs), alone
 * (`#token=…`) or beside a view's address (`#/loop/l1/timeline?token=…`). It is moved to
 * sessionStorage and cleared from the address bar at once, leaving the view's address in place.
 */
import { splitToken } from '../lib/route'

const KEY = 'andon.token'

export function takeToken(): string | null {
  const { token, hash } = splitToken(window.location.hash)
  if (token) {
    sessionStorage.setItem(KEY, token)
    history.replaceState(null, '', window.location.pathname + window.location.search + hash)
  }
  return sessionStorage.getItem(KEY)
}
