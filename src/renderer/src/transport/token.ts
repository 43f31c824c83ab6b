/**
 * The web shell's token arrives in the URL fragment (never sent to servers or logs). It is moved
 * to sessionStorage and the fragment is cleared from the address bar at once.
 */
const KEY = 'andon.token'

export function takeToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash)
  if (match) {
    sessionStorage.setItem(KEY, decodeURIComponent(match[1]))
    history.replaceState(null, '', window.location.pathname + window.location.search)
  }
  return sessionStorage.getItem(KEY)
}
