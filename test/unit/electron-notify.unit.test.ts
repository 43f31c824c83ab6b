// Desktop notifications fire when a loop stops for a human, and only then.
import { describe, expect, it } from 'vitest'
import type { PushMessage } from '../../src/shared/contract'
import { noticeFor } from '../../src/main/electron/notify'
import { inboxKey } from '../../src/shared/inbox-key'

const itemRoute = (item: Parameters<typeof inboxKey>[0]) => `#/inbox/${encodeURIComponent(inboxKey(item))}`

const summary = { loopId: 'loop-1', name: 'Fix the build' } as PushMessage['summary']
const msg = (event: Record<string, unknown>): PushMessage =>
  ({ kind: 'event', summary, event: { loopId: 'loop-1', version: 5, seq: 9, at: 0, ...event } }) as unknown as PushMessage

describe('desktop notices', () => {
  it('announce an escalation with the loop name and the packet summary', () => {
    const notice = noticeFor(msg({ type: 'Escalated', data: { packet: { id: 'esc-7', iteration: 4, summary: 'progress invariant failed 3 times' } } }))
    expect(notice).toEqual({
      title: 'Fix the build needs you',
      body: 'Escalated at iteration 4: progress invariant failed 3 times',
      loopId: 'loop-1',
      route: '#/inbox/loop-1%3Aescalation%3Aesc-7'
    })
  })

  it('announce an action that waits for approval, not one that runs on its own', () => {
    const proposed = (needsApproval: boolean) =>
      msg({ type: 'ActionProposed', data: { iteration: 2, callId: 'c1', action: { tool: 'shell', args: {} }, risk: 'high', needsApproval } })
    expect(noticeFor(proposed(true))?.body).toBe('Iteration 2 wants to run shell (high risk).')
    expect(noticeFor(proposed(false))).toBeNull()
  })

  it('open the inbox item they are about, keyed as the inbox keys it', () => {
    const approval = noticeFor(msg({ type: 'ActionProposed', data: { iteration: 2, callId: 'call_9', action: { tool: 'shell', args: {} }, risk: 'high', needsApproval: true } }))
    expect(approval?.route).toBe('#/inbox/loop-1%3Aapproval%3Acall_9')
    expect(approval?.route).toBe(itemRoute({ loopId: 'loop-1', kind: 'approval', callId: 'call_9', packet: null, iteration: 2 }))
    // An escalation raised while a call waited is the item of that call: listInbox gives it that call's id.
    const packet = { id: 'esc-8', iteration: 5, summary: 'stuck', pendingCall: { callId: 'call_3' } }
    const onCall = noticeFor(msg({ type: 'Escalated', data: { packet } }))
    expect(onCall?.route).toBe('#/inbox/loop-1%3Aescalation%3Acall_3')
    expect(onCall?.route).toBe(itemRoute({ loopId: 'loop-1', kind: 'escalation', callId: 'call_3', packet, iteration: 5 }))
  })

  it('stay quiet for ordinary progress and clip long summaries', () => {
    expect(noticeFor(msg({ type: 'IterationStarted', data: { iteration: 3 } }))).toBeNull()
    const long = noticeFor(msg({ type: 'Escalated', data: { packet: { iteration: 1, summary: 'x'.repeat(1000) } } }))
    expect(long!.body.length).toBeLessThanOrEqual(180)
    expect(long!.body.endsWith('…')).toBe(true)
  })
})
