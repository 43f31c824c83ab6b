/**
 * The Electron shell: wires the core (created exactly as every other shell creates it) to one
 * hardened window. Everything security-relevant is decided in security.ts and hardening.ts; the
 * desktop conventions each live in their own module: links and the views they open
 * (app-link.ts, view-requests.ts), the waiting count (attention.ts, presence.ts), the remembered
 * window (window-state.ts) and notifications (notify.ts, desktop-notices.ts).
 */
import { app, dialog, ipcMain, Menu, safeStorage, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { createAndon } from '../core/create-andon'
import type { Andon } from '../core/andon'
import { MENU_CHANNEL, NAVIGATE_CHANNEL, PUSH_CHANNEL, type MenuAction } from './channels'
import { hardenApp, serveRenderer } from './hardening'
import { registerContract } from './ipc'
import { menuTemplate } from './menu'
import { DesktopNotices } from './desktop-notices'
import { chooseNativeBinding } from './native'
import { noticeFor } from './notify'
import { batchPushes } from './push-batch'
import { Presence, showWaiting } from './presence'
import { coreEnv, SecretStore } from './secrets'
import { importBundleFile } from '../core/bundles/import'
import { registerBundleFileImport } from './bundle-file-ipc'
import { registerSecrets } from './secrets-ipc'
import { isTrustedSender, type AppOrigin } from './security'
import type { ViewRequests } from './view-requests'
import { createMainWindow, senderInfo } from './window'

export function appOrigin(): AppOrigin {
  const devUrl = process.env.ELECTRON_RENDERER_URL
  return { devServerUrl: !app.isPackaged && devUrl ? devUrl : null }
}

function fail(title: string, error: unknown): never {
  dialog.showErrorBox(title, error instanceof Error ? error.message : String(error))
  app.exit(1)
  throw error
}

/** Packaged, electron-builder ships the icon beside the app; from source it is in resources/. */
function appIconPath(): string {
  return app.isPackaged ? join(process.resourcesPath, 'icon.png') : join(app.getAppPath(), 'resources', 'icon.png')
}

const warn = (message: string) => console.warn(message)

export async function runElectronShell(origin: AppOrigin, views: ViewRequests): Promise<void> {
  await app.whenReady()
  hardenApp(origin)
  if (origin.devServerUrl === null) serveRenderer(join(__dirname, '../renderer'), origin)
  let win: BrowserWindow | null = null
  // With no window open (macOS), a menu command opens one and runs once its page has loaded.
  const onAction = (action: MenuAction) => views.runMenu(action)
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ dev: origin.devServerUrl !== null, isMac: process.platform === 'darwin', onAction })))

  const binding = chooseNativeBinding({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    electronVersion: process.versions.electron ?? '',
    envPath: process.env.ANDON_NATIVE_BINDING
  })
  if ('error' in binding) fail('Andon cannot open its database', new Error(binding.error))

  const dataDir = app.getPath('userData')
  const secrets = new SecretStore(join(dataDir, 'secrets.json'), safeStorage)
  const baseEnv: Record<string, string | undefined> = { ...process.env }
  const env = coreEnv(baseEnv, secrets.load())

  let andon: Andon
  try {
    // Packaged, the example specs ship as extraResources next to app.asar.
    const examplesDir = app.isPackaged ? join(process.resourcesPath, 'examples') : undefined
    andon = await createAndon({ dataDir, env, nativeBinding: binding.path, examplesDir, hostLabel: 'desktop app' })
  } catch (error) {
    fail('Andon could not start', error)
  }

  const iconPath = appIconPath()
  const presence = new Presence(iconPath, { openWindow: () => views.reveal(), openInbox: () => views.show('#/inbox'), quit: () => app.quit() }, warn)
  const handlers = await showWaiting(andon, presence, () => win)

  const isTrusted = (event: Electron.IpcMainInvokeEvent) =>
    isTrustedSender(senderInfo(event), win && !win.isDestroyed() ? win.webContents.id : null, origin)
  registerContract(ipcMain, handlers, isTrusted)
  registerSecrets(ipcMain, secrets, env, baseEnv, isTrusted)
  const nativeBinding = 'path' in binding ? binding.path : undefined
  registerBundleFileImport(ipcMain, (path) => importBundleFile(andon.store, path, undefined, { nativeBinding }), isTrusted)

  const notices = new DesktopNotices((route) => views.show(route))
  const pushToWindow = batchPushes((batch) => {
    if (win && !win.isDestroyed()) win.webContents.send(PUSH_CHANNEL, batch)
  })
  andon.onPush((msg) => {
    if (!win || win.isDestroyed()) return
    pushToWindow(msg)
    // A focused operator already sees the inbox count; notify only when looking elsewhere.
    const notice = noticeFor(msg)
    if (notice && !win.isFocused()) notices.show(notice)
  })

  const preload = join(__dirname, '../preload/index.js')
  const statePath = join(dataDir, 'window-state.json')
  const openWindow = () => {
    const created = createMainWindow(preload, origin, { statePath, iconPath })
    presence.attach(created)
    // The renderer listens for views and menu commands once its page has loaded; until then they wait in `views`.
    created.webContents.on('did-finish-load', () =>
      views.attach({
        navigate: (hash) => created.webContents.send(NAVIGATE_CHANNEL, hash),
        menu: (action) => created.webContents.send(MENU_CHANNEL, action)
      })
    )
    created.on('closed', () => {
      if (win !== created) return
      win = null
      views.detach()
    })
    win = created
  }
  openWindow()
  // A second launch, a link or a notification brings the window forward (or back, on macOS).
  views.onRequest(() => {
    if (!win || win.isDestroyed()) return openWindow()
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  })
  // macOS keeps the app running without windows; the dock icon brings one back.
  app.on('activate', () => {
    if (!win) openWindow()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  // Close the core (flush the store) before the process goes away.
  let closing = false
  app.on('before-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    presence.destroy()
    andon.close().finally(() => app.exit(0))
  })
}
