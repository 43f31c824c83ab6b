import { describe, expect, it } from 'vitest'
import { itemLink, noticeOf, webhookPayload } from '../../src/main/core/notifications/webhook-payload'
import type { StoredEvent } from '../../src/shared/events'
import { WebhookUrls } from '../../src/shared/webhooks'

const stored = (e: Pick<StoredEvent, 'type' | 'data'>): StoredEvent => ({ ...e, loopId: 'loop-1', version: 9, seq: 9, at: 0 }) as StoredEvent

describe('webhook notices', () => {
  it('an approval names the loop, the tool and its risk, and links to its inbox item without any token', () => {
    const n = noticeOf(stored({ type: 'ActionProposed', data: { iteration: 2, callId: 'loop-1:2', action: { tool: 'replace_in_file', args: {} }, risk: 'medium', needsApproval: true } }), 'nightly fix')!
    const link = itemLink('http://127.0.0.1:4321/', n.itemKey)
    expect(link).toBe('http://127.0.0.1:4321/#/inbox/loop-1%3Aapproval%3Aloop-1%3A2')
    expect(webhookPayload(n, link)).toEqual({
      text: 'Andon: nightly fix waits for approval at iteration 2: replace_in_file (medium risk) wants approval (http://127.0.0.1:4321/#/inbox/loop-1%3Aapproval%3Aloop-1%3A2)',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*nightly fix waits for approval*\nreplace_in_file (medium risk) wants approval' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Andon · loop `loop-1` · iteration 2' }] },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Andon' }, url: link }] }
      ]
    })
  })

  it('a call that needs no approval is no notice', () => {
    expect(noticeOf(stored({ type: 'ActionProposed', data: { iteration: 1, callId: 'c', action: { tool: 'verify', args: {} }, risk: 'low', needsApproval: false } }), 'x')).toBeNull()
  })

  it('an escalation carries its summary as the reason, escaped for Slack markup in the text and the blocks, and no link when the address is unknown', () => {
    const packet = { id: 'esc-1', loopId: 'loop-1', kind: 'invariant', iteration: 7, summary: 'no-looping: verify <3 times> & stuck', stateSnapshot: {}, failingInvariants: [], confidenceTrajectory: [], reasoningTrail: [], suggestions: [], abortReason: 'STALLED' }
    const n = noticeOf(stored({ type: 'Escalated', data: { packet } } as Pick<StoredEvent, 'type' | 'data'>), 'a & b')!
    expect(n).toMatchObject({ kind: 'escalation', itemKey: 'loop-1:escalation:esc-1', iteration: 7 })
    const p = webhookPayload(n, itemLink(null, n.itemKey))
    expect(p.text).toBe('Andon: a &amp; b escalated at iteration 7: no-looping: verify &lt;3 times&gt; &amp; stuck')
    expect(p.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*a &amp; b escalated*\nno-looping: verify &lt;3 times&gt; &amp; stuck' } })
    expect(p.blocks.some((b) => b.type === 'actions')).toBe(false)
  })
})

describe('webhook addresses', () => {
  it('takes http and https URLs and refuses anything else with a clear message', () => {
    expect(WebhookUrls.parse({ escalation: ' https://hooks.slack.com/services/T/B/x ', approval: null })).toEqual({ escalation: 'https://hooks.slack.com/services/T/B/x', approval: null })
    for (const bad of ['ftp://example.com/hook', 'file:///etc/passwd', 'javascript:alert(1)', 'hooks.slack.com/services/x', '']) {
      const r = WebhookUrls.safeParse({ escalation: bad, approval: null })
      expect(r.success, bad).toBe(false)
      expect(r.error?.issues[0].message).toMatch(/must be an http:\/\/ or https:\/\/ URL/)
    }
  })
})
