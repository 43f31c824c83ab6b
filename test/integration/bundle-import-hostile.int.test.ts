/**
 * Small hostile bundles, generated here: a state that folds to values the loop list cannot
 * show, bytes that are not UTF-8, and loop ids every JavaScript object already has. Each is
 * refused with an error naming what is wrong, and the store does not change.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { unzipSync, zipSync } from 'fflate'
import { importBundle, BundleImportError } from '../../src/main/core/bundles/import'
import type { LoopEventInput } from '../../src/shared/events'
import { sampleLoopEvents, tempStore, type TempStore } from '../fixtures/bundles/sample-loop'
import { buildBundle, dumpStore, linesOf, partBytes } from '../support/bundle-builder'

const stores: TempStore[] = []
afterEach(() => {
  while (stores.length) stores.pop()!.cleanup()
})

async function refusedWith(bytes: Uint8Array, message: RegExp): Promise<void> {
  const t = tempStore()
  stores.push(t)
  t.store.appendSync('existing', sampleLoopEvents(), 0)
  const before = dumpStore(t.store)
  const err = await importBundle(t.store, bytes).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(BundleImportError)
  expect((err as Error).message).toMatch(message)
  expect(dumpStore(t.store)).toEqual(before)
}

function withStartState(startState: Record<string, unknown>): LoopEventInput[] {
  const events = sampleLoopEvents()
  events[0] = { type: 'LoopCreated', data: { ...(events[0].data as object), startState } } as LoopEventInput
  return events
}

describe('a bundle whose loop folds to a state the app cannot show is refused', () => {
  it.each([
    ['facts as a number', { facts: 3 }, /loop hostile, line 1 \(LoopCreated\): data.startState.facts/],
    ['iteration as a string', { iteration: 'seven' }, /loop hostile, line 1 \(LoopCreated\): data.startState.iteration/],
    ['an empty fact', { facts: [''] }, /loop hostile, line 1 \(LoopCreated\): the events do not fold to a valid state: facts.0/]
  ])('a fork start state with %s', async (_name, startState, message) => {
    await refusedWith(buildBundle([{ loopId: 'hostile', lines: linesOf(withStartState(startState)) }]), message)
  })

  it('costs that add up past the largest number (the loop list and `andon ls` would show null)', async () => {
    const events = sampleLoopEvents()
    for (const ev of events) {
      if (ev.type === 'DecisionMade') ev.data = { ...ev.data, usage: { inputTokens: 1, outputTokens: 1, costUsd: 1e308 } }
    }
    await refusedWith(buildBundle([{ loopId: 'hostile', lines: linesOf(events) }]), /loop hostile: the events do not fold to a valid state: usage.costUsd/)
  })

  it('times no clock can show', async () => {
    const lines = linesOf(sampleLoopEvents()) as { at: number }[]
    lines[2].at = 9e15
    await refusedWith(buildBundle([{ loopId: 'hostile', lines }]), /loop hostile, line 3: at 9000000000000000 is not a time/)
  })
})

describe('bytes that are not UTF-8 are refused, not replaced', () => {
  it('in a part, even when the checksum matches those bytes', async () => {
    const text = partBytes(linesOf(sampleLoopEvents()))
    const at = Buffer.from(text).indexOf('added 12 packages')
    const bytes = Uint8Array.from(text)
    bytes[at] = 0xff
    await refusedWith(buildBundle([{ loopId: 'latin', bytes, eventCount: sampleLoopEvents().length }]), /loop latin: events\/latin.jsonl is not valid UTF-8/)
  })

  it('in the manifest', async () => {
    const bundle = buildBundle([{ loopId: 'ok', lines: linesOf(sampleLoopEvents()) }], (m) => (m.appVersion = 'caf\u00e9'))
    // The manifest is stored deflated; rebuild it with the é written as a lone Latin-1 byte.
    const files = unzipSync(bundle)
    const manifest = Buffer.from(files['manifest.json'])
    const e = manifest.indexOf(Buffer.from('caf\u00e9')) + 3
    files['manifest.json'] = Uint8Array.from([...manifest.subarray(0, e), 0xe9, ...manifest.subarray(e + 2)])
    await refusedWith(zipSync(files), /manifest.json is not valid UTF-8/)
  })
})

describe('loop ids that every object already has are refused', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('%s', async (loopId) => {
    await refusedWith(buildBundle([{ loopId, lines: linesOf(sampleLoopEvents()) }]), new RegExp(`loop id ${loopId} is not allowed`))
  })

  it('renamed ids come back in a map with no prototype to reach', async () => {
    const t = tempStore()
    stores.push(t)
    t.store.appendSync('taken', sampleLoopEvents(), 0)
    const { renamed, loopIds } = await importBundle(t.store, buildBundle([{ loopId: 'taken', lines: linesOf(sampleLoopEvents()) }]))
    expect(Object.getPrototypeOf(renamed)).toBeNull()
    expect({ ...renamed }).toEqual({ taken: loopIds[0] })
    expect(JSON.parse(JSON.stringify(renamed))).toEqual({ taken: loopIds[0] })
  })
})

describe('a sound hand-made bundle still imports', () => {
  it('with a fork start state and ids that merely contain reserved words', async () => {
    const t = tempStore()
    stores.push(t)
    const events = withStartState({ facts: ['the tests use vitest'], iteration: 2, subgoal: 'fix add()' })
    const { loopIds } = await importBundle(t.store, buildBundle([{ loopId: 'my-constructor', lines: linesOf(events) }]))
    expect(loopIds).toEqual(['my-constructor'])
    expect(t.store.loadState('my-constructor')).toMatchObject({ facts: ['the tests use vitest'], readOnly: true })
  })
})
