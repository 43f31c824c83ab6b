/**
 * What a webhook says about a stop: which loop, why, and a link to the inbox item when the web
 * shell's address is known (never with its token). Pure: a pushed event in, a notice and its
 * Slack-compatible payload out.
 */
import type { StoredEvent } from '../../../shared/events'
import { inboxKey } from '../../../shared/inbox-key'
import type { WebhookKind, WebhookPayload } from '../../../shared/webhooks'

export interface WebhookNotice {
  kind: WebhookKind
  loopId: string
  loopName: string
  iteration: number
  reason: string
  /** The inbox item's key, as the control room addresses it (`#/inbox/<key>`). */
  itemKey: string
}

/** An escalation, or a call that waits for the operator's approval; null for any other event. */
export function noticeOf(event: StoredEvent, loopName: string): WebhookNotice | null {
  switch (event.type) {
    case 'Escalated': {
      const p = event.data.packet
      // As the inbox lists it: an escalation raised on a waiting call is keyed by that call.
      const itemKey = inboxKey({ loopId: event.loopId, kind: 'escalation', callId: p.pendingCall?.callId ?? null, packet: p, iteration: p.iteration })
      return { kind: 'escalation', loopId: event.loopId, loopName, iteration: p.iteration, reason: p.summary, itemKey }
    }
    case 'ActionProposed': {
      if (!event.data.needsApproval) return null
      const d = event.data
      const itemKey = inboxKey({ loopId: event.loopId, kind: 'approval', callId: d.callId, packet: null, iteration: d.iteration })
      return { kind: 'approval', loopId: event.loopId, loopName, iteration: d.iteration, reason: `${d.action.tool} (${d.risk} risk) wants approval`, itemKey }
    }
    default:
      return null
  }
}

/** The item's address in the control room, from the web shell's base URL (`http://127.0.0.1:PORT/`). */
export function itemLink(base: string | null, itemKey: string): string | null {
  return base ? `${base.replace(/[#/]*$/, '')}/#/inbox/${encodeURIComponent(itemKey)}` : null
}

const CLIP = 1500
const clip = (text: string) => (text.length > CLIP ? `${text.slice(0, CLIP - 1)}…` : text)
/** Slack reads &, < and > as markup, in the top-level text as in mrkdwn blocks. */
const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export function webhookPayload(n: WebhookNotice, link: string | null): WebhookPayload {
  const title = n.kind === 'escalation' ? `${n.loopName} escalated` : `${n.loopName} waits for approval`
  const reason = escapeMrkdwn(clip(n.reason))
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(title)}*\n${reason}` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Andon · loop \`${n.loopId}\` · iteration ${n.iteration}` }] }
  ]
  if (link) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Andon' }, url: link }] })
  return { text: `Andon: ${escapeMrkdwn(title)} at iteration ${n.iteration}: ${reason}${link ? ` (${link})` : ''}`, blocks }
}
