/**
 * Webhooks: a URL per kind of stop (an escalation, a call waiting for approval) that receives
 * Slack-compatible JSON each time one is raised. Only http(s) URLs; set and read through the contract.
 */
import { z } from 'zod'

export const WebhookKind = z.enum(['escalation', 'approval'])
export type WebhookKind = z.infer<typeof WebhookKind>

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/** A webhook address, or null for none. */
export const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(isHttpUrl, 'must be an http:// or https:// URL, like https://hooks.slack.com/services/…')
  .nullable()

export const WebhookUrls = z.object({ escalation: WebhookUrl, approval: WebhookUrl }).strict()
export type WebhookUrls = z.infer<typeof WebhookUrls>

/** One delivery (after its retries). The address is shown by its origin only: a webhook's path is often its secret. */
export interface WebhookDelivery {
  kind: WebhookKind
  loopId: string
  loopName: string
  origin: string
  at: number
  ok: boolean
  attempts: number
  /** The receiver's last HTTP status (null: no answer). */
  status: number | null
  error: string | null
}

export interface WebhookSettings {
  urls: WebhookUrls
  setBy: string | null
  setAt: number | null
  why: string | null
  /** Recent deliveries since this process started, newest first. */
  deliveries: WebhookDelivery[]
}

/** Slack's incoming-webhook body: `text` for any receiver, `blocks` for Slack's layout. */
export interface WebhookPayload {
  text: string
  blocks: Record<string, unknown>[]
}
