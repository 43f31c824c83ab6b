/** The one window, built from the checked options in security.ts. */
import { BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { assertSafePreferences } from './hardening'
import { entryUrl, windowOptions, type AppOrigin, type SenderInfo } from './security'

export function createMainWindow(preloadPath: string, origin: AppOrigin): BrowserWindow {
  const options = windowOptions(preloadPath)
  assertSafePreferences(options.webPreferences)
  const win = new BrowserWindow(options)
  win.once('ready-to-show', () => win.show())
  void win.loadURL(entryUrl(origin))
  return win
}

/** What an IPC event says about its sender; a frame that is gone counts as untrusted. */
export function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  try {
    const frame = event.senderFrame
    return { frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame.parent === null, webContentsId: event.sender.id }
  } catch {
    return { frameUrl: null, isMainFrame: false, webContentsId: -1 }
  }
}
