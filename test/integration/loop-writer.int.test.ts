/**
 * The loop writer on a real store: a write that fails drops what was staged with it, and the
 * engine's next step fails with that write's error, even when the write's own caller ignored it
 * (a live output flush, a recorded provider delay): the engine never goes on from events the
 * store does not hold.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LoopEventInput } from '../../src/shared/events'
import { LoopWriter } from '../../src/main/core/engine/loop-writer'
import { spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
beforeEach(async () => {
  andon = await tempAndon()
})
afterEach(() => andon.cleanup())

const started: LoopEventInput = { type: 'IterationStarted', data: { iteration: 1 } }
const delayed: LoopEventInput = { type: 'DecisionDelayed', data: { iteration: 1, until: 1, reason: 'rate limited' } }

async function writerForNewLoop(): Promise<{ loopId: string; writer: LoopWriter }> {
  const loopId = await andon.supervisor.launch(
    spec({ workspace: tempDir(), policy: { kind: 'rules', rules: [{ name: 'read', when: {}, then: { tool: 'read_file', args: { path: 'a.txt' } } }] } }),
    { start: false }
  )
  return { loopId, writer: new LoopWriter(loopId, andon.store.loadState(loopId), { store: andon.store, scrub: (e) => e, clock: () => Date.now() }) }
}

describe('loop writer', () => {
  it('a failed write that dropped staged events fails the next engine step, though its caller ignored the failure', async () => {
    const { loopId, writer } = await writerForNewLoop()
    await writer.stage(() => [started])
    const store = andon.store
    const append = store.append.bind(store)
    store.append = () => Promise.reject(new Error('disk full'))
    await writer.append(() => [delayed]).catch(() => undefined)
    store.append = append
    expect(writer.writeFailed).toBe(true)
    await expect(writer.stage(() => [delayed])).rejects.toThrow('disk full')
    await expect(writer.append(() => [delayed])).rejects.toThrow('disk full')
    expect(store.readStream(loopId).map((e) => e.type)).not.toContain('IterationStarted')
    // Once the engine has stopped on it, the loop can be written again.
    writer.forgetStaged()
    await writer.append(() => [started])
    expect(store.readStream(loopId).at(-1)).toMatchObject({ type: 'IterationStarted' })
  })

  it('a failed write with nothing staged loses nothing: the next step goes on', async () => {
    const { loopId, writer } = await writerForNewLoop()
    const store = andon.store
    const append = store.append.bind(store)
    store.append = () => Promise.reject(new Error('disk full'))
    await expect(writer.append(() => [delayed])).rejects.toThrow('disk full')
    store.append = append
    expect(writer.writeFailed).toBe(false)
    await writer.stage(() => [started])
    await writer.append(() => [])
    expect(store.readStream(loopId).at(-1)).toMatchObject({ type: 'IterationStarted' })
  })
})
