/**
 * Making this app the system's handler for `andon://` links, without taking them from an app the
 * operator chose: the scheme is claimed only while no application handles it, or when it is already
 * this one (claiming again keeps the registered path current after the app moved). No runtime
 * `electron` import: the shell passes its `app`, so the decision is unit-tested.
 */
import type { App } from 'electron'
import { APP_LINK_SCHEME } from './app-link'

export type ProtocolClientApp = Pick<App, 'getApplicationNameForProtocol' | 'isDefaultProtocolClient' | 'setAsDefaultProtocolClient'>

/** How a development build is launched (the electron binary and the app's entry); omitted when packaged. */
export interface DevLaunch {
  execPath: string
  args: string[]
}

export type LinkClaim = { claimed: true } | { claimed: false; reason: string }

export function claimAppLinks(app: ProtocolClientApp, dev?: DevLaunch): LinkClaim {
  const ours = dev ? app.isDefaultProtocolClient(APP_LINK_SCHEME, dev.execPath, dev.args) : app.isDefaultProtocolClient(APP_LINK_SCHEME)
  const holder = app.getApplicationNameForProtocol(`${APP_LINK_SCHEME}://`)
  if (!ours && holder !== '') return { claimed: false, reason: `${APP_LINK_SCHEME}:// links open in ${holder}, which was chosen on this machine; Andon leaves that alone` }
  const done = dev ? app.setAsDefaultProtocolClient(APP_LINK_SCHEME, dev.execPath, dev.args) : app.setAsDefaultProtocolClient(APP_LINK_SCHEME)
  if (done) return { claimed: true }
  // Linux registers through the app's desktop file, which only the .deb or a menu-integrated AppImage has.
  return { claimed: false, reason: `the system did not make Andon the handler for ${APP_LINK_SCHEME}:// links (on Linux, install the .deb, or integrate the AppImage into the menu)` }
}
