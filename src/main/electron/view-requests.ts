/**
 * Views asked for from outside the window: an `andon://` link, a second launch's arguments, a
 * notification click. They can arrive before the window exists (macOS sends the link that started
 * the app before `ready`) or while its page is still loading, when a message to the renderer would
 * be lost; so the latest one waits here until the renderer can take it. Pure: the shell supplies how
 * to navigate and how to bring the window forward.
 */
import { linkInArgv, parseAppLink } from './app-link'

export class ViewRequests {
  private pending: string | null = null
  private navigate: ((hash: string) => void) | null = null
  private bringForward: () => void = () => {}

  constructor(private readonly warn: (message: string) => void) {}

  /** Shows `hash` now if the renderer is ready, else once it is (only the latest request is kept). */
  show(hash: string): void {
    if (this.navigate) this.navigate(hash)
    else this.pending = hash
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

  /** The renderer listens now: it gets the view that waited, if any. */
  attach(navigate: (hash: string) => void): void {
    this.navigate = navigate
    const waiting = this.pending
    this.pending = null
    if (waiting !== null) navigate(waiting)
  }

  /** The window is gone or reloading: hold requests again. */
  detach(): void {
    this.navigate = null
  }

  /** How to restore, show and focus the window (or open one) when a view is asked for. */
  onRequest(bringForward: () => void): void {
    this.bringForward = bringForward
  }
}
