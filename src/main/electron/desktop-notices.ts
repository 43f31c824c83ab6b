/**
 * Shows the notices notify.ts picks as system notifications. Electron holds a shown Notification
 * only weakly: once garbage-collected, a click on it does nothing. So each one is kept here until
 * it is clicked, closed or fails to show.
 */
import { Notification } from 'electron'
import type { DesktopNotice } from './notify'

export class DesktopNotices {
  private readonly shown = new Set<Notification>()

  /** `open` shows the view a clicked notice is about. */
  constructor(private readonly open: (route: string) => void) {}

  /** Notifications on screen or in the notification centre, still able to take a click. */
  get held(): number {
    return this.shown.size
  }

  show(notice: DesktopNotice): void {
    if (!Notification.isSupported()) return
    const n = new Notification({ title: notice.title, body: notice.body })
    this.shown.add(n)
    const release = () => this.shown.delete(n)
    n.on('click', () => {
      release()
      this.open(notice.route)
    })
    n.on('close', release)
    n.on('failed', release)
    n.show()
  }
}
