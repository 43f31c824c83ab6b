/**
 * Sends each escalation and approval to the operator's webhook for its kind. Delivery runs beside
 * the loop, never in its way: a slow or failing receiver is retried a few times with backoff,
 * then given up on, and every outcome is kept (recent deliveries) and a failure logged. The body
 * is scrubbed of the loop's secrets like its events. Loops imported from a bundle never notify.
 */
import type { StoredEvent } from '../../../shared/events'
import type { LoopState } from '../../../shared/state'
import { WebhookUrls, type WebhookDelivery, type WebhookKind, type WebhookSettings } from '../../../shared/webhooks'
import { secretsFromEnv } from '../bundles/secrets'
import { SecretScrubber } from '../secrets/scrubber'
import type { TraceStore } from '../store/trace-store'
import { PROVIDER_SECRET_NAMES } from '../supervisor/supervisor'
import { itemLink, noticeOf, webhookPayload } from './webhook-payload'

const KEY = 'webhooks'
const NONE: WebhookUrls = { escalation: null, approval: null }
const KEEP_DELIVERIES = 50

export interface WebhookOptions {
  store: TraceStore
  env: Record<string, string | undefined>
  /** Tries per notice, the first included. */
  attempts?: number
  /** The wait before the first retry; each next one waits twice as long. */
  backoffMs?: number
  /** How long one attempt may take before it counts as failed. */
  timeoutMs?: number
  /** How long close waits for deliveries in flight (retries included) before ending them. */
  closeGraceMs?: number
  clock?: () => number
  log?: (line: string) => void
}

/** A receiver's answer worth trying again: none at all, too many requests, or a server error. */
const retryable = (status: number | null) => status === null || status === 429 || status >= 500

/** Why an attempt got no answer, in the operator's words. */
const failure = (err: Error, timeoutMs: number) =>
  err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((err.cause as Error | undefined)?.message ?? err.message)

export class WebhookNotifier {
  private linkBase: string | null = null
  private readonly deliveries: WebhookDelivery[] = []
  private readonly inFlight = new Set<Promise<void>>()
  /** Pending backoff waits, ended early (as false) by close. */
  private readonly waits = new Map<NodeJS.Timeout, (go: boolean) => void>()
  private closed = false
  /** Ends the attempts in flight when close's grace is over. */
  private readonly closing = new AbortController()
  private readonly attempts: number
  private readonly backoffMs: number
  private readonly timeoutMs: number
  private readonly closeGraceMs: number
  private readonly clock: () => number
  private readonly log: (line: string) => void

  constructor(private readonly opts: WebhookOptions) {
    this.attempts = opts.attempts ?? 4
    this.backoffMs = opts.backoffMs ?? 500
    this.timeoutMs = opts.timeoutMs ?? 5000
    this.closeGraceMs = opts.closeGraceMs ?? 3000
    this.clock = opts.clock ?? Date.now
    this.log = opts.log ?? ((line) => console.warn(line))
  }

  /** The web shell's address (`http://127.0.0.1:PORT/`): notices then link to their inbox item. */
  setLinkBase(base: string | null): void {
    this.linkBase = base
  }

  urls(): WebhookUrls {
    const set = this.opts.store.settings.latest(KEY)
    const parsed = WebhookUrls.safeParse(set?.value)
    return parsed.success ? parsed.data : NONE
  }

  settings(): WebhookSettings {
    const set = this.opts.store.settings.latest(KEY)
    return { urls: this.urls(), setBy: set?.by ?? null, setAt: set?.at ?? null, why: set?.why ?? null, deliveries: [...this.deliveries] }
  }

  /** Record new addresses (who, when, why), in effect for the next notice. */
  setUrls(urls: WebhookUrls, change: { by: string; why: string }): WebhookSettings {
    this.opts.store.settings.record({ key: KEY, value: WebhookUrls.parse(urls), by: change.by, why: change.why, at: this.clock() })
    return this.settings()
  }

  /** Called with every batch of committed events: starts a delivery for each stop that has a webhook. */
  onEvents(events: StoredEvent[], states: Map<string, LoopState>): void {
    if (this.closed) return
    let urls: WebhookUrls | null = null
    for (const event of events) {
      if (event.type !== 'Escalated' && event.type !== 'ActionProposed') continue
      const state = states.get(event.loopId)
      if (!state || state.readOnly) continue
      const notice = noticeOf(event, state.spec.name)
      if (!notice) continue
      urls ??= this.urls()
      const url = urls[notice.kind]
      if (!url) continue
      const scrubber = new SecretScrubber(secretsFromEnv(this.opts.env, [...PROVIDER_SECRET_NAMES, ...state.spec.secrets]))
      const body = JSON.stringify(scrubber.scrubValue(webhookPayload(notice, itemLink(this.linkBase, notice.itemKey))))
      const delivery = this.deliver(url, body, { kind: notice.kind, loopId: notice.loopId, loopName: notice.loopName })
      this.inFlight.add(delivery)
      void delivery.finally(() => this.inFlight.delete(delivery))
    }
  }

  /** Resolves when every delivery started so far has finished (or given up). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  /**
   * Let the deliveries in flight finish, for up to the grace period (`andon run` exits right after,
   * and the escalation that ended its run is worth sending), then end the rest and stop.
   */
  async close(): Promise<void> {
    if (this.closed) return
    let grace: NodeJS.Timeout | undefined
    await Promise.race([this.idle(), new Promise((r) => (grace = setTimeout(r, this.closeGraceMs)))])
    clearTimeout(grace)
    this.closed = true
    this.closing.abort()
    for (const [t, resolve] of this.waits) {
      clearTimeout(t)
      resolve(false)
    }
    this.waits.clear()
    await this.idle()
  }

  private async deliver(url: string, body: string, about: { kind: WebhookKind; loopId: string; loopName: string }): Promise<void> {
    const origin = new URL(url).origin
    let status: number | null = null
    let error: string | null = null
    let attempt = 0
    while (attempt < this.attempts && !this.closed) {
      if (attempt > 0 && !(await this.wait(this.backoffMs * 2 ** (attempt - 1)))) break
      attempt++
      try {
        const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.closing.signal])
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal, redirect: 'error' })
        status = res.status
        await res.body?.cancel()
        error = res.ok ? null : `HTTP ${res.status}`
      } catch (err) {
        status = null
        error = this.closed ? 'not answered before Andon closed' : failure(err as Error, this.timeoutMs)
      }
      if (error === null || !retryable(status)) break
    }
    const ok = error === null && attempt > 0
    this.deliveries.unshift({ ...about, origin, at: this.clock(), ok, attempts: attempt, status, error: ok ? null : (error ?? 'not sent: Andon was closing') })
    this.deliveries.length = Math.min(this.deliveries.length, KEEP_DELIVERIES)
    if (!ok) this.log(`[webhook] the ${about.kind} of ${about.loopName} (${about.loopId}) was not delivered to ${origin} after ${attempt} attempt(s): ${error ?? 'Andon was closing'}`)
  }

  /** Wait `ms` unless closed meanwhile (false then). */
  private wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waits.delete(t)
        resolve(!this.closed)
      }, ms)
      t.unref()
      this.waits.set(t, resolve)
    })
  }
}
