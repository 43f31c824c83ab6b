/**
 * The Electron shell: wires the core (created exactly as every other shell creates it) to one
 * hardened window. Everything security-relevant is decided in security.ts and hardening.ts.
 */
import { app, dialog, ipcMain, Menu, Notification, safeStorage, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { createAndon } from '../core/create-andon'
import type { Andon } from '../core/andon'
import { MENU_CHANNEL, PUSH_CHANNEL, type MenuAction } from './channels'
import { hardenApp, serveRenderer } from './hardening'
import { registerContract } from './ipc'
import { menuTemplate } from './menu'
import { chooseNativeBinding } from './native'
import { noticeFor } from './notify'
import { coreEnv, SecretStore } from './secrets'
import { importBundleFile } from '../core/bundles/import'
import { registerBundleFileImport } from './bundle-file-ipc'
import { registerSecrets } from './secrets-ipc'
import { isTrustedSender, type AppOrigin } from './security'
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

export async function runElectronShell(origin: AppOrigin): Promise<void> {
  await app.whenReady()
  hardenApp(origin)
  if (origin.devServerUrl === null) serveRenderer(join(__dirname, '../renderer'), origin)
  let win: BrowserWindow | null = null
  const onAction = (action: MenuAction) => {
    if (win && !win.isDestroyed()) win.webContents.send(MENU_CHANNEL, action)
  }
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

  const isTrusted = (event: Electron.IpcMainInvokeEvent) =>
    isTrustedSender(senderInfo(event), win && !win.isDestroyed() ? win.webContents.id : null, origin)
  registerContract(ipcMain, andon.handlers, isTrusted)
  registerSecrets(ipcMain, secrets, env, baseEnv, isTrusted)
  const nativeBinding = 'path' in binding ? binding.path : undefined
  registerBundleFileImport(ipcMain, (path) => importBundleFile(andon.store, path, undefined, { nativeBinding }), isTrusted)

  andon.onPush((msg) => {
    if (!win || win.isDestroyed()) return
    win.webContents.send(PUSH_CHANNEL, msg)
    // A focused operator already sees the inbox count; notify only when looking elsewhere.
    const notice = noticeFor(msg)
    if (notice && !win.isFocused() && Notification.isSupported()) {
      const n = new Notification({ title: notice.title, body: notice.body })
      n.on('click', () => {
        win?.show()
        win?.focus()
      })
      n.show()
    }
  })

  const preload = join(__dirname, '../preload/index.js')
  const openWindow = () => {
    const created = createMainWindow(preload, origin)
    created.on('closed', () => {
      if (win === created) win = null
    })
    win = created
  }
  openWindow()
  app.on('second-instance', () => win?.show())
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
    andon.close().finally(() => app.exit(0))
  })
}
