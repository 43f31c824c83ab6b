import { describe, expect, it } from 'vitest'
import { DailyBudgetLedger, Semaphore } from '../../src/main/core/backpressure'
import { fakeClock } from './backpressure-fake-clock'

describe('Semaphore', () => {
  it('admits up to the limit and queues the rest in order', async () => {
    const s = new Semaphore(2)
    const order: string[] = []
    const r1 = await s.acquire()
    const r2 = await s.acquire()
    const p3 = s.acquire().then((r) => (order.push('3'), r))
    const p4 = s.acquire().then((r) => (order.push('4'), r))
    expect(s.inFlight).toBe(2)
    expect(s.waiting).toBe(2)
    r1()
    r1() // releasing twice frees one slot only
    const r3 = await p3
    expect(order).toEqual(['3'])
    expect(s.inFlight).toBe(2)
    r2()
    await p4
    r3()
    expect(order).toEqual(['3', '4'])
    expect(s.inFlight).toBe(1)
  })

  it('run() never exceeds the limit', async () => {
    const s = new Semaphore(3)
    let now = 0
    let peak = 0
    await Promise.all(
      Array.from({ length: 10 }, () =>
        s.run(async () => {
          peak = Math.max(peak, ++now)
          await new Promise((r) => setTimeout(r, 2))
          now--
        })
      )
    )
    expect(peak).toBe(3)
    expect(s.inFlight).toBe(0)
  })

  it('a waiter that aborts leaves the queue', async () => {
    const s = new Semaphore(1)
    const release = await s.acquire()
    const ac = new AbortController()
    const waiting = s.acquire(ac.signal)
    ac.abort(new Error('cancelled'))
    await expect(waiting).rejects.toThrow('cancelled')
    expect(s.waiting).toBe(0)
    release()
    expect(s.inFlight).toBe(0)
  })

  it('refuses a nonsense limit', () => {
    expect(() => new Semaphore(0)).toThrow(/positive integer/)
  })
})

describe('DailyBudgetLedger', () => {
  it('fails with budget once today reaches the limit', () => {
    const clock = fakeClock(Date.UTC(2026, 4, 1, 22))
    const ledger = new DailyBudgetLedger(1, clock)
    ledger.record(0.6)
    ledger.check()
    ledger.record(0.4)
    expect(() => ledger.check()).toThrow(expect.objectContaining({ kind: 'daily-budget' }))
    expect(() => ledger.check()).toThrow(/global daily budget of \$1\.00 reached \(\$1\.0000 spent on 2026-05-01 UTC\)/)
  })

  it('starts a new day at 00:00 UTC', () => {
    const clock = fakeClock(Date.UTC(2026, 4, 1, 23, 59))
    const ledger = new DailyBudgetLedger(1, clock, 5)
    expect(() => ledger.check()).toThrow()
    clock.advance(60_000)
    expect(ledger.spentToday()).toBe(0)
    ledger.check()
  })

  it('counts spend without a limit and ignores non-positive costs', () => {
    const ledger = new DailyBudgetLedger(null, fakeClock())
    ledger.record(3)
    ledger.record(-1)
    ledger.record(Number.NaN)
    ledger.check()
    expect(ledger.spentToday()).toBe(3)
  })
})
