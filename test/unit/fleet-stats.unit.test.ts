import { describe, expect, it } from 'vitest'
import { escalationWaits, percentile, rate, spendDays, spread } from '../../src/shared/fleet'

describe('percentile', () => {
  it('interpolates between the closest ranks, whatever the input order', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5)
    expect(percentile([10, 20, 30], 50)).toBe(20)
    expect(percentile([10, 20, 30], 95)).toBeCloseTo(29, 10)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 95)).toBeCloseTo(19 + 0.05 * 81, 10)
    expect(percentile([7], 95)).toBe(7)
    expect(percentile([3, 9], 0)).toBe(3)
    expect(percentile([3, 9], 100)).toBe(9)
  })

  it('has nothing to say about no values, and refuses a percentile outside 0–100', () => {
    expect(percentile([], 50)).toBeNull()
    expect(() => percentile([1], 101)).toThrow(/between 0 and 100/)
    expect(() => percentile([1], Number.NaN)).toThrow(/between 0 and 100/)
  })

  it('leaves the caller’s values in their order', () => {
    const values = [3, 1, 2]
    percentile(values, 50)
    expect(values).toEqual([3, 1, 2])
  })

  it('spread gives the count, median and p95', () => {
    expect(spread([1, 2, 3, 4, 5])).toEqual({ count: 5, p50: 3, p95: 4.8 })
    expect(spread([])).toEqual({ count: 0, p50: null, p95: null })
  })
})

describe('rate', () => {
  it('is the share, or null when nothing finished', () => {
    expect(rate(3, 4)).toBe(0.75)
    expect(rate(0, 0)).toBeNull()
  })

  it('refuses a part larger than the whole', () => {
    expect(() => rate(5, 4)).toThrow(/0 ≤ part ≤ whole/)
  })
})

describe('spendDays', () => {
  it('lists the window ending today, oldest first, zero where nothing was spent', () => {
    const now = Date.UTC(2026, 0, 2, 3, 0)
    expect(spendDays(new Map([['2026-01-01', 1.5], ['2025-12-01', 9]]), now, 3)).toEqual([
      { day: '2025-12-31', usd: 0 },
      { day: '2026-01-01', usd: 1.5 },
      { day: '2026-01-02', usd: 0 }
    ])
  })
})

describe('escalationWaits', () => {
  it('measures each escalation until it was resolved or resumed, and sees one still open', () => {
    const events = [
      { type: 'Escalated', at: 100 },
      { type: 'EscalationResolved', at: 160 },
      { type: 'Resumed', at: 160 },
      { type: 'Resumed', at: 500 },
      { type: 'Escalated', at: 1000 },
      { type: 'Resumed', at: 1400 },
      { type: 'Escalated', at: 2000 }
    ]
    expect(escalationWaits(events)).toEqual({ waits: [60, 400], open: true })
    expect(escalationWaits(events.slice(0, 6))).toEqual({ waits: [60, 400], open: false })
  })
})
