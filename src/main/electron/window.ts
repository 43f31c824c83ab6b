/** The one window, built from the checked options in security.ts, opened where the operator left it. */
import { app, BrowserWindow, screen, type IpcMainInvokeEvent } from 'electron'
import { assertSafePreferences } from './hardening'
import { entryUrl, windowOptions, type AppOrigin, type SenderInfo } from './security'
import { loadWindowState, placeWindow, saveWindowState, type WindowPlacement } from './window-state'

/** Resizing or dragging fires many events; the file is written once the window has settled. */
const SAVE_DELAY_MS = 500

export interface MainWindowOptions {
  /** `<userData>/window-state.json`. */
  statePath: string
  /** The app icon (Linux shows it in the title bar and task switcher). */
  iconPath: string
}

const warn = (message: string) => console.warn(message)

function currentPlacement(statePath: string, size: { width: number; height: number; minWidth: number; minHeight: number }): WindowPlacement {
  const primary = screen.getPrimaryDisplay()
  const others = screen.getAllDisplays().filter((d) => d.id !== primary.id)
  return placeWindow(loadWindowState(statePath, warn), [primary, ...others].map((d) => d.workArea), size)
}

/** Saves the window's normal bounds (what it restores to) and whether it is maximized or full screen. */
function rememberState(win: BrowserWindow, statePath: string): void {
  let timer: NodeJS.Timeout | null = null
  const save = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (win.isDestroyed()) return
    const { x, y, width, height } = win.getNormalBounds()
    try {
      const bounds = { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) }
      saveWindowState(statePath, { bounds, maximized: win.isMaximized(), fullscreen: win.isFullScreen() })
    } catch (error) {
      warn(`Andon could not save the window's position: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  const saveSoon = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, SAVE_DELAY_MS)
  }
  win.on('resize', saveSoon)
  win.on('move', saveSoon)
  win.on('maximize', saveSoon)
  win.on('unmaximize', saveSoon)
  win.on('enter-full-screen', saveSoon)
  win.on('leave-full-screen', saveSoon)
  win.on('close', save)
  // Quitting from the menu or the dock ends the process before any window gets 'close'.
  app.on('before-quit', save)
  win.once('closed', () => app.off('before-quit', save))
}

export function createMainWindow(preloadPath: string, origin: AppOrigin, opts: MainWindowOptions): BrowserWindow {
  const options = windowOptions(preloadPath)
  assertSafePreferences(options.webPreferences)
  const size = { width: options.width ?? 1320, height: options.height ?? 860, minWidth: options.minWidth ?? 0, minHeight: options.minHeight ?? 0 }
  const { maximized, fullscreen, ...bounds } = currentPlacement(opts.statePath, size)
  const win = new BrowserWindow({ ...options, ...bounds, icon: opts.iconPath })
  win.once('ready-to-show', () => {
    if (maximized) win.maximize()
    if (fullscreen) win.setFullScreen(true)
    win.show()
  })
  // The title carries the waiting count (presence.ts), not the page's own <title>.
  win.on('page-title-updated', (event) => event.preventDefault())
  rememberState(win, opts.statePath)
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
