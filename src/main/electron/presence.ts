/**
 * The waiting count outside the window, where an operator working in another app sees it: the
 * dock or launcher badge (macOS, Unity launchers), a tray icon whose tooltip says it (Windows has
 * no badge), the window title, and a request for attention (flashFrame: a taskbar flash on
 * Windows, a dock bounce on macOS, the urgency hint on Linux) when more start waiting while they
 * look elsewhere. Thin glue; the count and the wording are in attention.ts.
 */
import { app, Menu, nativeImage, Tray, type BrowserWindow } from 'electron'
import type { Handlers } from '../../shared/contract'
import type { Andon } from '../core/andon'
import { shouldFlash, trayTooltip, WaitingCount, windowTitle } from './attention'

export interface TrayActions {
  openWindow(): void
  openInbox(): void
  quit(): void
}

/** Status-area icons are drawn at 22 px on Linux panels and 16 px on Windows and macOS. */
const TRAY_ICON_PX = process.platform === 'linux' ? 22 : 16

function createTray(iconPath: string, actions: TrayActions, warn: (message: string) => void): Tray | null {
  try {
    const image = nativeImage.createFromPath(iconPath)
    if (image.isEmpty()) throw new Error(`no readable icon at ${iconPath}`)
    const tray = new Tray(image.resize({ width: TRAY_ICON_PX, height: TRAY_ICON_PX }))
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open Andon', click: () => actions.openWindow() },
        { label: 'Open Inbox', click: () => actions.openInbox() },
        { type: 'separator' },
        { label: 'Quit', click: () => actions.quit() }
      ])
    )
    tray.on('click', () => actions.openWindow())
    return tray
  } catch (error) {
    // Desktops without a status area refuse a tray; the badge and title still carry the count.
    warn(`Andon runs without a tray icon: ${error instanceof Error ? error.message : String(error)}`)
    return null
  }
}

export class Presence {
  private tray: Tray | null
  private waiting = 0
  /** Quitting destroys the tray before the core has closed, and closing still pushes events. */
  private destroyed = false

  constructor(iconPath: string, actions: TrayActions, warn: (message: string) => void) {
    this.tray = createTray(iconPath, actions, warn)
    this.tray?.setToolTip(trayTooltip(0))
  }

  /** A new window shows the count in its title and stops flashing once the operator comes to it. */
  attach(win: BrowserWindow): void {
    win.setTitle(windowTitle(this.waiting))
    win.on('focus', () => win.flashFrame(false))
  }

  show(waiting: number, win: BrowserWindow | null): void {
    if (this.destroyed) return
    const before = this.waiting
    this.waiting = waiting
    app.setBadgeCount(waiting)
    this.tray?.setToolTip(trayTooltip(waiting))
    if (!win || win.isDestroyed()) return
    win.setTitle(windowTitle(waiting))
    if (shouldFlash(before, waiting, win.isFocused())) win.flashFrame(true)
  }

  destroy(): void {
    this.destroyed = true
    this.tray?.destroy()
    this.tray = null
  }
}

/**
 * Shows the count from the loops listed now, then from each pushed summary. Archiving appends no
 * event, so nothing is pushed when a waiting loop leaves the lists: the handlers returned (those
 * the window calls) count again after it.
 */
export async function showWaiting(andon: Pick<Andon, 'handlers' | 'onPush'>, presence: Presence, currentWindow: () => BrowserWindow | null): Promise<Handlers> {
  const waiting = new WaitingCount()
  const recount = async () => {
    waiting.seed(await andon.handlers.listLoops({}))
    presence.show(waiting.total, currentWindow())
  }
  await recount()
  andon.onPush((msg) => {
    if (waiting.update(msg.summary)) presence.show(waiting.total, currentWindow())
  })
  return {
    ...andon.handlers,
    archiveLoop: async (input) => {
      const done = await andon.handlers.archiveLoop(input)
      await recount()
      return done
    }
  }
}
