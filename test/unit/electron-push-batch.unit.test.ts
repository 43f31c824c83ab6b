// The desktop shell's push path: what the core pushes in one tick reaches the window as one IPC message.
import { describe, expect, it } from 'vitest'
import type { PushMessage } from '../../src/shared/contract'
import { batchPushes, MAX_BATCH_MESSAGES } from '../../src/main/electron/push-batch'

const msg = (version: number) => ({ kind: 'event', event: { loopId: 'l1', version } }) as unknown as PushMessage
const versions = (batch: PushMessage[]) => batch.map((m) => m.event.version)

describe('batchPushes', () => {
  it('sends the pushes of one tick together, in order, and the next tick apart', () => {
    const sent: PushMessage[][] = []
    const ticks: (() => void)[] = []
    const push = batchPushes((b) => sent.push(b), (flush) => ticks.push(flush))
    for (const v of [1, 2, 3]) push(msg(v))
    expect(sent).toEqual([])
    expect(ticks).toHaveLength(1)
    ticks.shift()!()
    push(msg(4))
    ticks.shift()!()
    expect(sent.map(versions)).toEqual([[1, 2, 3], [4]])
  })

  it('splits a bulk append into messages of at most MAX_BATCH_MESSAGES, losing none', () => {
    const sent: PushMessage[][] = []
    let flush = () => {}
    const push = batchPushes((b) => sent.push(b), (f) => (flush = f))
    const n = MAX_BATCH_MESSAGES * 2 + 5
    for (let v = 1; v <= n; v++) push(msg(v))
    flush()
    expect(sent.map((b) => b.length)).toEqual([MAX_BATCH_MESSAGES, MAX_BATCH_MESSAGES, 5])
    expect(sent.flatMap(versions)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
  })

  it('flushes after the current turn of the event loop by default', async () => {
    const sent: PushMessage[][] = []
    const push = batchPushes((b) => sent.push(b))
    push(msg(1))
    push(msg(2))
    expect(sent).toEqual([])
    await new Promise((r) => setImmediate(r))
    expect(sent.map(versions)).toEqual([[1, 2]])
  })
})
