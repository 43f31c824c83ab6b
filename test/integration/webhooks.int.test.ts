/**
 * Webhooks against a local receiver on 127.0.0.1, through a real core: each escalation and each
 * approval is POSTed as Slack-compatible JSON with the loop, the reason and a link to the item;
 * a failing receiver is retried with backoff and the outcome recorded; a receiver that never
 * answers does not hold the loop up; closing the core still sends what is in flight, for a while;
 * secrets never leave.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebhookNotifier } from '../../src/main/core/notifications/webhooks'
import { contract } from '../../src/shared/contract'
import type { WebhookPayload } from '../../src/shared/webhooks'
import { exampleSpec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'

interface Receiver {
  url: string
  posts: { path: string; contentType: string | undefined; body: WebhookPayload }[]
  /** How many POSTs got their answer. */
  answered: number
  close(): Promise<void>
}

/** A webhook receiver: answers each POST with the next status in `statuses` (then 200), after `delayMs`; `hang` never answers. */
async function receiver(statuses: number[] = [], { hang = false, delayMs = 0 } = {}): Promise<Receiver> {
  const posts: Receiver['posts'] = []
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString('utf8')))
    req.on('end', () => {
      posts.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(text) as WebhookPayload })
      if (hang) return
      const status = statuses.shift() ?? 200
      setTimeout(() => res.writeHead(status).end('ok', () => self.answered++), delayMs)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const self: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T0/B0/hook-secret-path`,
    posts,
    answered: 0,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections()
        server.close(() => r())
      })
  }
  return self
}

let cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.reverse()) await c()
  cleanups = []
})

async function core(env: Record<string, string> = {}) {
  const andon = await tempAndon({ env })
  cleanups.push(() => andon.cleanup())
  return andon
}
async function listening(statuses: number[] = [], opts: { hang?: boolean; delayMs?: number } = {}) {
  const r = await receiver(statuses, opts)
  cleanups.push(() => r.close())
  return r
}

describe('webhooks', () => {
  it('an escalation and an approval each reach their own webhook as Slack JSON with the loop, the reason and a link', async () => {
    const andon = await core()
    const escalations = await listening()
    const approvals = await listening()
    await andon.handlers.setWebhooks({ escalation: escalations.url, approval: approvals.url, why: 'team channel' })
    andon.webhooks.setLinkBase('http://127.0.0.1:4321/')

    const { spec: stuck, specPath } = exampleSpec('stuck-needs-a-hint')
    const stuckId = await andon.supervisor.launch(stuck, { specPath })
    const { spec: fix, specPath: fixPath } = exampleSpec('fix-the-tests')
    const gatedId = await andon.supervisor.launch({ ...fix, name: 'gated fix', autonomy: 'approve-every-action' }, { specPath: fixPath })
    await andon.supervisor.settled(stuckId)
    await andon.supervisor.settled(gatedId)
    await andon.webhooks.idle()

    const packet = andon.supervisor.liveState(stuckId).escalation!
    expect(escalations.posts).toHaveLength(1)
    const esc = escalations.posts[0]
    expect(esc.path).toBe('/services/T0/B0/hook-secret-path')
    expect(esc.contentType).toBe('application/json')
    const escLink = `http://127.0.0.1:4321/#/inbox/${encodeURIComponent(`${stuckId}:escalation:${packet.id}`)}`
    expect(esc.body.text).toBe(`Andon: stuck-needs-a-hint escalated at iteration ${packet.iteration}: ${packet.summary} (${escLink})`)
    expect(esc.body.blocks.at(-1)).toEqual({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Andon' }, url: escLink }] })

    const pending = andon.supervisor.liveState(gatedId).pendingCall!
    expect(approvals.posts.map((p) => p.body.text)).toEqual([
      `Andon: gated fix waits for approval at iteration 1: verify (medium risk) wants approval (http://127.0.0.1:4321/#/inbox/${encodeURIComponent(`${gatedId}:approval:${pending.callId}`)})`
    ])
    expect(await andon.handlers.getWebhooks({})).toMatchObject({
      urls: { escalation: escalations.url, approval: approvals.url },
      setBy: 'operator',
      why: 'team channel',
      deliveries: expect.arrayContaining([
        expect.objectContaining({ kind: 'escalation', loopId: stuckId, ok: true, attempts: 1, status: 200, origin: new URL(escalations.url).origin }),
        expect.objectContaining({ kind: 'approval', loopId: gatedId, ok: true, attempts: 1, status: 200 })
      ])
    })
  }, 60_000)

  it('a receiver failing with 503 is retried with backoff until it answers; a 404 is recorded, not retried', async () => {
    const andon = await core()
    const flaky = await listening([503, 503])
    await andon.handlers.setWebhooks({ escalation: flaky.url, approval: null, why: '' })
    const { spec, specPath } = exampleSpec('stuck-needs-a-hint')
    const started = Date.now()
    await andon.supervisor.settled(await andon.supervisor.launch(spec, { specPath }))
    await andon.webhooks.idle()
    expect(flaky.posts).toHaveLength(3)
    expect(new Set(flaky.posts.map((p) => JSON.stringify(p.body))).size).toBe(1)
    // Waits of 0.5 s then 1 s between the tries.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500)
    expect((await andon.handlers.getWebhooks({})).deliveries[0]).toMatchObject({ kind: 'escalation', ok: true, attempts: 3, status: 200, error: null })

    const gone = await listening([404])
    await andon.handlers.setWebhooks({ escalation: gone.url, approval: null, why: 'moved' })
    await andon.supervisor.settled(await andon.supervisor.launch(spec, { specPath }))
    await andon.webhooks.idle()
    expect(gone.posts).toHaveLength(1)
    expect((await andon.handlers.getWebhooks({})).deliveries[0]).toMatchObject({ ok: false, attempts: 1, status: 404, error: 'HTTP 404' })
  }, 60_000)

  it('a receiver that never answers does not hold the loop up', async () => {
    const andon = await core()
    const silent = await listening([], { hang: true })
    await andon.handlers.setWebhooks({ escalation: null, approval: silent.url, why: '' })
    const { spec, specPath } = exampleSpec('fix-the-tests')
    const loopId = await andon.supervisor.launch({ ...spec, autonomy: 'approve-every-action' }, { specPath })
    await until(() => silent.posts.length === 1, 15_000, 'the first approval to be posted')
    // The receiver holds the first notice; approving goes on and the next approval is raised and posted at once.
    const first = andon.supervisor.liveState(loopId).pendingCall!
    await andon.handlers.decideApproval({ loopId, callId: first.callId, decision: 'approve', reason: '' })
    await until(() => andon.supervisor.liveState(loopId).pendingCall?.action.tool === 'replace_in_file', 15_000, 'the next approval')
    await until(() => silent.posts.length === 2, 5_000, 'the second approval to be posted')
    expect((await andon.handlers.getWebhooks({})).deliveries).toEqual([])
  }, 30_000)

  it('closing the core waits for the delivery in flight, retries included, so the escalation that ended `andon run` is sent', async () => {
    const andon = await core()
    const slow = await listening([503], { delayMs: 300 })
    await andon.handlers.setWebhooks({ escalation: slow.url, approval: null, why: '' })
    const { spec, specPath } = exampleSpec('stuck-needs-a-hint')
    await andon.supervisor.settled(await andon.supervisor.launch(spec, { specPath }))

    await andon.close()

    // Both tries were made and answered before close returned (the second one with 200).
    expect(slow.posts).toHaveLength(2)
    expect(slow.answered).toBe(2)
  }, 30_000)

  it('closing gives up on a receiver that does not answer within the grace period, and says so', async () => {
    const andon = await core()
    const silent = await listening([], { hang: true })
    const lines: string[] = []
    const notifier = new WebhookNotifier({ store: andon.store, env: {}, closeGraceMs: 300, timeoutMs: 60_000, log: (l) => lines.push(l) })
    const { spec, specPath } = exampleSpec('stuck-needs-a-hint')
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await andon.supervisor.settled(loopId)
    notifier.setUrls({ escalation: silent.url, approval: null }, { by: 'operator', why: '' })
    notifier.onEvents(andon.store.readStream(loopId), new Map([[loopId, andon.supervisor.liveState(loopId)]]))
    await until(() => silent.posts.length === 1, 5_000, 'the escalation to be posted')

    await notifier.close()

    expect(notifier.settings().deliveries).toEqual([expect.objectContaining({ ok: false, attempts: 1, status: null, error: 'not answered before Andon closed' })])
    expect(lines).toEqual([expect.stringContaining('was not delivered') as string])
  }, 30_000)

  it('never sends a secret: values of the environment secrets are scrubbed from the body', async () => {
    const key = 'sk-ant-webhook-test-0123456789abcdef'
    const andon = await core({ ANTHROPIC_API_KEY: key })
    const r = await listening()
    const { spec, specPath } = exampleSpec('stuck-needs-a-hint')
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await andon.supervisor.settled(loopId)
    await andon.handlers.setWebhooks({ escalation: r.url, approval: null, why: '' })
    // Events are scrubbed when recorded; the body is scrubbed again, for a secret that reached the state some other way.
    const state = andon.supervisor.liveState(loopId)
    const escalated = andon.store.readStream(loopId).filter((e) => e.type === 'Escalated')
    const leaky = { ...state, spec: { ...state.spec, name: `stuck ${key}` } }
    andon.webhooks.onEvents(escalated, new Map([[loopId, leaky]]))
    await andon.webhooks.idle()
    expect(r.posts).toHaveLength(1)
    expect(JSON.stringify(r.posts[0].body)).not.toContain(key)
    expect(r.posts[0].body.text).toMatch(/^Andon: stuck \S+ escalated/)
  }, 30_000)

  it('refuses an address that is not http(s), saying so', () => {
    const r = contract.setWebhooks.input.safeParse({ escalation: 'file:///etc/passwd', approval: null })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]).toMatchObject({ path: ['escalation'], message: expect.stringMatching(/must be an http:\/\/ or https:\/\/ URL/) })
  })
})
