/**
 * Electron main entry. Thin on purpose: the core lives in ./core (plain Node), and the shell
 * in ./electron. ANDON_DATA_DIR overrides the data folder (`npm start -- --data-dir DIR` sets it).
 */
import { app } from 'electron'
import { resolve } from 'node:path'
import { registerAppScheme } from './electron/hardening'
import { claimAppLinks } from './electron/link-handler'
import { appOrigin, runElectronShell } from './electron/shell'
import { ViewRequests } from './electron/view-requests'

if (process.env.ANDON_DATA_DIR) app.setPath('userData', process.env.ANDON_DATA_DIR)

/**
 * The packaged app handles andon:// links, unless the operator chose another app for them. A
 * development build registers only when asked (ANDON_REGISTER_LINKS=1): it would point the system
 * at the bare electron binary.
 */
function registerLinkHandler(): void {
  const dev = app.isPackaged ? undefined : { execPath: process.execPath, args: [resolve(process.argv[1] ?? '.')] }
  if (dev && process.env.ANDON_REGISTER_LINKS !== '1') return
  const claim = claimAppLinks(app, dev)
  if (!claim.claimed) console.warn(`Andon: ${claim.reason}.`)
}

// One process owns the database; a second launch hands its arguments to the first and quits.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // Every renderer sandboxed, whatever options a future window is given.
  app.enableSandbox()
  registerAppScheme()
  registerLinkHandler()
  const views = new ViewRequests((message) => console.warn(message))
  // macOS hands links over as events, the first one before `ready`; Windows and Linux as arguments,
  // to this process at its start or to the first one through 'second-instance'.
  app.on('open-url', (event, url) => {
    event.preventDefault()
    views.openLink(url)
  })
  app.on('second-instance', (_event, argv) => {
    views.openArgv(argv)
    views.reveal()
  })
  views.openArgv(process.argv)
  runElectronShell(appOrigin(), views).catch((error: unknown) => {
    console.error('Andon failed to start:', error instanceof Error ? error.message : error)
    app.exit(1)
  })
}
