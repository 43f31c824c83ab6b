/**
 * The key of an inbox item, written once: the inbox selects items by it (`#/inbox/<key>`), and
 * desktop notifications and webhook links point at items with it, so a second spelling that
 * drifted would open the wrong item or none. No imports: the renderer and the core both use it.
 */

/** What names an inbox item: an InboxItem, or the event that raised it. */
export interface InboxKeyParts {
  loopId: string
  kind: 'approval' | 'escalation'
  /** The call waiting for approval, or the one an escalation was raised on; null for neither. */
  callId: string | null
  packet: { id: string } | null
  iteration: number
}

/** `<loopId>:<kind>:<call id, else escalation packet id, else iteration>`. */
export function inboxKey(item: InboxKeyParts): string {
  return `${item.loopId}:${item.kind}:${item.callId ?? item.packet?.id ?? item.iteration}`
}
