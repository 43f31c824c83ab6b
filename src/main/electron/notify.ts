/**
 * Which pushed events deserve a desktop notification: a loop that stops for a human, and the view
 * a click on it opens. Pure; desktop-notices.ts shows the result with Electron's Notification.
 */
import type { PushMessage } from '../../shared/contract'
import { noticeOf } from '../core/notifications/webhook-payload'

export interface DesktopNotice {
  title: string
  body: string
  loopId: string
  /** The renderer's address of the inbox item the notice is about. */
  route: string
}

const clip = (text: string, max = 180): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

export function noticeFor(msg: PushMessage): DesktopNotice | null {
  const { event, summary } = msg
  const name = summary.name || event.loopId
  // The same stops, and the same inbox keys, as the webhooks' item links.
  const stop = noticeOf(event, name)
  if (!stop) return null
  const route = `#/inbox/${encodeURIComponent(stop.itemKey)}`
  switch (event.type) {
    case 'Escalated':
      return {
        title: `${name} needs you`,
        body: clip(`Escalated at iteration ${event.data.packet.iteration}: ${event.data.packet.summary}`),
        loopId: event.loopId,
        route
      }
    case 'ActionProposed':
      return {
        title: `${name} waits for approval`,
        body: clip(`Iteration ${event.data.iteration} wants to run ${event.data.action.tool} (${event.data.risk} risk).`),
        loopId: event.loopId,
        route
      }
  }
  // noticeOf names a stop for no other event.
  return null
}
