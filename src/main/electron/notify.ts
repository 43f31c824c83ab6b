/**
 * Which pushed events deserve a desktop notification: a loop that stops for a human.
 * Pure; shell.ts shows the result with Electron's Notification.
 */
import type { PushMessage } from '../../shared/contract'

export interface DesktopNotice {
  title: string
  body: string
  loopId: string
}

const clip = (text: string, max = 180): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

export function noticeFor(msg: PushMessage): DesktopNotice | null {
  const { event, summary } = msg
  const name = summary.name || event.loopId
  switch (event.type) {
    case 'Escalated':
      return {
        title: `${name} needs you`,
        body: clip(`Escalated at iteration ${event.data.packet.iteration}: ${event.data.packet.summary}`),
        loopId: event.loopId
      }
    case 'ActionProposed':
      if (!event.data.needsApproval) return null
      return {
        title: `${name} waits for approval`,
        body: clip(`Iteration ${event.data.iteration} wants to run ${event.data.action.tool} (${event.data.risk} risk).`),
        loopId: event.loopId
      }
    default:
      return null
  }
}
