/**
 * Views asked for from outside the window: an `andon://` link, a second launch's arguments, a
 * notification click; and menu commands, which on macOS can be chosen with no window open. They
 * can arrive before the window exists (macOS sends the link that started the app before `ready`)
 * or while its page is still loading, when a message to the renderer would be lost; so they wait
 * here until the renderer can take them. Pure: the shell supplies how to reach the renderer and
 * how to bring the window forward (or open one).
 */
import type { MenuAction } from '../../shared/shell-commands'
import { linkInArgv, parseAppLink } from './app-link'

/** How the shell reaches a renderer whose page has loaded. */
export interface RendererChannel {
  navigate(hash: string): void
  menu(action: MenuAction): void
}

/** Menu commands held for a window still opening; more than a few would be a stuck key, not a request. */
const MAX_PENDING_ACTIONS = 8

export class ViewRequests {
  private pending: string | null = null
  private pendingActions: MenuAction[] = []
  private renderer: RendererChannel | null = null
  private bringForward: () => void = () => {}

  constructor(private readonly warn: (message: string) => void) {}

  /** Shows `hash` now if the renderer is ready, else once it is (only the latest request is kept). */
  show(hash: string): void {
    if (this.renderer) this.renderer.navigate(hash)
    else this.pending = hash
    this.bringForward()
  }

  /** Runs a menu command in the renderer now if it listens, else once a window has opened and loaded. */
  runMenu(action: MenuAction): void {
    if (this.renderer) return this.renderer.menu(action)
    if (this.pendingActions.length < MAX_PENDING_ACTIONS) this.pendingActions.push(action)
    this.bringForward()
  }

  /** An `andon://` link: shown if it passes the gate in app-link.ts, otherwise logged and dropped. */
  openLink(link: string): void {
    const result = parseAppLink(link)
    if (result.ok) this.show(result.hash)
    else this.warn(`Andon ignored an andon:// link: ${result.reason}`)
  }

  /** A launch's arguments: opens the link among them, if any. */
  openArgv(argv: readonly string[]): void {
    const link = linkInArgv(argv)
    if (link !== null) this.openLink(link)
  }

  /** Brings the window forward without changing its view (a second launch with no link). */
  reveal(): void {
    this.bringForward()
  }

  /** The renderer listens now: it gets the view that waited, if any, then the menu commands in order. */
  attach(renderer: RendererChannel): void {
    this.renderer = renderer
    const waiting = this.pending
    const actions = this.pendingActions
    this.pending = null
    this.pendingActions = []
    if (waiting !== null) renderer.navigate(waiting)
    for (const action of actions) renderer.menu(action)
  }

  /** The window is gone or reloading: hold requests again. */
  detach(): void {
    this.renderer = null
  }

  /** How to restore, show and focus the window (or open one) when a view is asked for. */
  onRequest(bringForward: () => void): void {
    this.bringForward = bringForward
  }
}
