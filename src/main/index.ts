/**
 * Electron main entry. Thin on purpose: the core lives in ./core (plain Node), and the shell
 * in ./electron. ANDON_DATA_DIR overrides the data folder (`npm start -- --data-dir DIR` sets it).
 */
import { app } from 'electron'
import { registerAppScheme } from './electron/hardening'
import { appOrigin, runElectronShell } from './electron/shell'

if (process.env.ANDON_DATA_DIR) app.setPath('userData', process.env.ANDON_DATA_DIR)

// One process owns the database; a second launch just focuses the first window.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // Every renderer sandboxed, whatever options a future window is given.
  app.enableSandbox()
  registerAppScheme()
  runElectronShell(appOrigin()).catch((error: unknown) => {
    console.error('Andon failed to start:', error instanceof Error ? error.message : error)
    app.exit(1)
  })
}
