/**
 * Reading a big loop in pages through the contract: getLoop brings the newest page of iteration
 * rows and the span of all of them, getIterations any range of them (capped), getEvents a page of
 * events with where the next one starts; a whole-stream read without a limit is refused past a cap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UNPAGED_READ_MAX } from '../../src/main/core/store/trace-store'
import { contract, EVENT_PAGE_MAX } from '../../src/shared/contract'
import { ITERATION_PAGE, ITERATION_PAGE_MAX } from '../../src/shared/iterations'
import { writeBigLoop } from '../support/big-loop'
import { tempAndon } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
/** 2,600 iterations of 4 events: more events than an unpaged read may return. */
const BIG = 2_600
let bigVersion = 0

beforeAll(async () => {
  andon = await tempAndon()
  bigVersion = await writeBigLoop(andon.store, 'big', BIG)
  // Rows numbered from 41, as a fork's are from its fork point.
  await writeBigLoop(andon.store, 'from-41', 300, 41)
})
afterAll(() => andon.cleanup())

const call = <K extends 'getLoop' | 'getIterations' | 'getEvents'>(name: K, input: unknown) =>
  andon.handlers[name](contract[name].input.parse(input) as never) as ReturnType<(typeof andon.handlers)[K]>

describe('getLoop', () => {
  it('sends the newest page of rows, oldest first, and the span of all of them', async () => {
    const got = await call('getLoop', { loopId: 'big' })
    expect(got.iterations).toHaveLength(ITERATION_PAGE)
    expect(got.iterations[0].iteration).toBe(BIG - ITERATION_PAGE + 1)
    expect(got.iterations.at(-1)!.iteration).toBe(BIG)
    expect(got.iterationSpan).toEqual({ first: 1, last: BIG })
    expect(got.state.iteration).toBe(BIG)
  })

  it('gives the first iteration a loop has rows for, not 1', async () => {
    const got = await call('getLoop', { loopId: 'from-41' })
    expect(got.iterationSpan).toEqual({ first: 41, last: 300 })
    expect(got.iterations[0].iteration).toBe(101)
  })
})

describe('getIterations', () => {
  it('returns the rows of a range, oldest first, up to the limit (200 unless given)', async () => {
    const page = await call('getIterations', { loopId: 'big', fromIteration: 1, toIteration: 5_000 })
    expect(page.rows.map((r) => r.iteration)).toEqual(Array.from({ length: ITERATION_PAGE }, (_, i) => i + 1))
    expect(page.iterationSpan).toEqual({ first: 1, last: BIG })
    const one = await call('getIterations', { loopId: 'big', fromIteration: 777, toIteration: 777 })
    expect(one.rows).toMatchObject([{ iteration: 777, subgoal: 'step 777', result: { ok: true, summary: 'read 777' } }])
    const tail = await call('getIterations', { loopId: 'big', fromIteration: BIG - 2, toIteration: BIG + 50, limit: ITERATION_PAGE_MAX })
    expect(tail.rows.map((r) => r.iteration)).toEqual([BIG - 2, BIG - 1, BIG])
  })

  it('answers a range before the first row or past the last with no rows', async () => {
    expect((await call('getIterations', { loopId: 'from-41', fromIteration: 1, toIteration: 40 })).rows).toEqual([])
    expect((await call('getIterations', { loopId: 'from-41', fromIteration: 301, toIteration: 400 })).rows).toEqual([])
  })

  it('refuses a limit over the cap, a reversed range and a loop that does not exist, each saying why', async () => {
    expect(() => contract.getIterations.input.parse({ loopId: 'big', fromIteration: 1, toIteration: 9, limit: ITERATION_PAGE_MAX + 1 })).toThrow(/1000/)
    expect(() => contract.getIterations.input.parse({ loopId: 'big', fromIteration: 9, toIteration: 1 })).toThrow(/toIteration must not be below fromIteration/)
    expect(() => contract.getIterations.input.parse({ loopId: 'big', fromIteration: -1, toIteration: 1 })).toThrow()
    expect(() => call('getIterations', { loopId: 'nope', fromIteration: 1, toIteration: 9 })).toThrow(/no loop nope/)
  })
})

describe('getEvents', () => {
  it('pages through a stream: each page says where the next starts, the last says none', async () => {
    let after: number | null = 0
    let read = 0
    let pages = 0
    while (after !== null) {
      const page: { events: { version: number }[]; next: number | null } = await call('getEvents', { loopId: 'big', afterVersion: after, limit: 4_000 })
      expect(page.events[0].version).toBe(after + 1)
      read += page.events.length
      after = page.next
      pages++
    }
    expect(read).toBe(bigVersion)
    expect(pages).toBe(Math.ceil(bigVersion / 4_000))
  })

  it('caps a page at 1,000 events unless asked for more, and refuses more than the most a page may hold', async () => {
    const page = await call('getEvents', { loopId: 'big' })
    expect(page.events).toHaveLength(1000)
    expect(page.next).toBe(1000)
    expect(() => contract.getEvents.input.parse({ loopId: 'big', limit: EVENT_PAGE_MAX + 1 })).toThrow()
  })
})

describe('readStream', () => {
  it('refuses to load a stream past the cap whole, and iterateStream reads it in pages', () => {
    expect(bigVersion).toBeGreaterThan(UNPAGED_READ_MAX)
    expect(() => andon.store.readStream('big')).toThrow(/more than 10000 events after version 0; read them in pages/)
    expect(andon.store.readStream('big', { afterVersion: bigVersion - 10 })).toHaveLength(10)
    let n = 0
    for (const ev of andon.store.iterateStream('big')) expect(ev.version).toBe(++n)
    expect(n).toBe(bigVersion)
  })
})
