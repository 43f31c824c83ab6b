// A desktop notification and a webhook link name the very item the inbox lists, also for an
// escalation raised while a call waited (a budget spent by the decision that proposed it): that
// item is keyed by the held call, on every side.
import { afterEach, describe, expect, it } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import { noticeOf } from '../../src/main/core/notifications/webhook-payload'
import { noticeFor } from '../../src/main/electron/notify'
import type { PushMessage } from '../../src/shared/contract'
import { inboxKey } from '../../src/shared/inbox-key'
import { toolUse } from '../support/scripted-server'
import { scriptedServerPerFile } from '../support/scripted-server/per-file'
import { spec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

const KEY = 'sk-ant-inbox-key-0123456789abcdef'
const scripted = scriptedServerPerFile(KEY)
let andon: Awaited<ReturnType<typeof tempAndon>> | null = null

afterEach(async () => {
  await andon?.cleanup()
  andon = null
})

describe('the inbox key', () => {
  it('is the same in the inbox, a desktop notification and a webhook for an escalation on a held call', async () => {
    setSharedBackpressure(new Backpressure())
    andon = await tempAndon({ env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
    const pushed: PushMessage[] = []
    andon.onPush((msg) => pushed.push(msg))
    // One answer costs 200k × $3 + 20k × $15 per million = $0.90, over a $0.50 budget: its call is held.
    scripted.server.anthropic.enqueue(toolUse('write_file', { path: 'out.txt', content: 'x' }, { inputTokens: 200_000, outputTokens: 20_000 }))
    const loopId = await andon.supervisor.launch(
      spec({
        policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: scripted.server.anthropicBaseUrl, timeoutMs: 5_000 },
        invariants: { budget: { usd: 0.5 } },
        termination: { verifyCommand: 'true' }
      })
    )
    await andon.supervisor.settled(loopId)
    const [item] = await andon.handlers.listInbox({})
    expect(item).toMatchObject({ loopId, kind: 'escalation', callId: expect.any(String) })
    expect(item.callId).toBe(item.packet?.pendingCall?.callId)

    const escalated = pushed.find((m) => m.event.type === 'Escalated')!
    expect(noticeFor(escalated)?.route).toBe(`#/inbox/${encodeURIComponent(inboxKey(item))}`)
    expect(noticeOf(escalated.event, item.loopName)?.itemKey).toBe(inboxKey(item))
  })
})
