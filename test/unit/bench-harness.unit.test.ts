import { existsSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// The harness keeps the checks stated so far in module state: each test loads a fresh copy.
const loadHarness = async () => {
  vi.resetModules()
  return import('../../bench/harness')
}

let printed: string[] = []
beforeEach(() => {
  printed = []
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')))
})
afterEach(() => vi.restoreAllMocks())

describe('paired rounds', () => {
  it('alternates which side runs first, the reference first in even rounds', async () => {
    const { paired } = await loadHarness()
    const order: string[] = []
    await paired(
      () => (order.push('reference'), 1),
      () => (order.push('subject'), 1),
      4
    )
    expect(order).toEqual(['reference', 'subject', 'subject', 'reference', 'reference', 'subject', 'subject', 'reference'])
  })

  it("reports per round each side's ms and the reference's ms over the subject's", async () => {
    const { paired } = await loadHarness()
    let referenceRuns = 0
    let subjectRuns = 0
    const result = await paired(
      () => 30 * ++referenceRuns,
      () => 10 * ++subjectRuns,
      3
    )
    expect(result.reference).toEqual([30, 60, 90])
    expect(result.subject).toEqual([10, 20, 30])
    // A subject three times as fast as the reference: 3× in every round.
    expect(result.ratios).toEqual([3, 3, 3])
  })

  it('gives each trial a fresh temp dir, removed afterwards', async () => {
    const { paired } = await loadHarness()
    const dirs: string[] = []
    const trial = (dir: string) => {
      expect(existsSync(dir)).toBe(true)
      dirs.push(dir)
      return 1
    }
    await paired(trial, trial, 2)
    expect(new Set(dirs).size).toBe(4)
    expect(dirs.filter(existsSync)).toEqual([])
  })
})

describe('quantiles', () => {
  it('interpolates between sorted samples without reordering the input', async () => {
    const { median, quantile } = await loadHarness()
    const xs = [4, 1, 3, 2]
    expect(median(xs)).toBe(2.5)
    expect(quantile(xs, 0)).toBe(1)
    expect(quantile(xs, 1)).toBe(4)
    expect(quantile([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.95)).toBeCloseTo(95)
    expect(median([7])).toBe(7)
    expect(xs).toEqual([4, 1, 3, 2])
  })

  it('prints a figure as its median with min, max and the number of rounds, and refuses no rounds', async () => {
    const { ms, spreadRow } = await loadHarness()
    spreadRow('append', [12, 10, 50], ms)
    expect(printed.at(-1)).toMatch(/^append\s+12\.0 ms\s+min 10\.0 ms, max 50\.0 ms, 3 rounds$/)
    expect(() => spreadRow('nothing', [], ms)).toThrow('nothing: no rounds measured')
  })
})

describe('ratio checks', () => {
  it('fails a check whose median is below its floor, not one whose single round is', async () => {
    const { allChecks, expectRatio, failedChecks } = await loadHarness()
    expectRatio('one slow round', [0.2, 1.1, 1.3], 0.9)
    expectRatio('regressed', [0.5, 0.6, 3], 0.9)
    expect(failedChecks()).toEqual([{ name: 'regressed', median: 0.6, floor: 0.9 }])
    expect(allChecks().map((c) => c.name)).toEqual(['one slow round', 'regressed'])
    expect(printed.find((l) => l.includes('one slow round'))).toMatch(/1\.10× ≥ 0\.90×\s+ok$/)
    expect(printed.find((l) => l.includes('regressed'))).toMatch(/0\.60× ≥ 0\.90×\s+BELOW THE FLOOR$/)
  })

  it('holds a median exactly at the floor', async () => {
    const { expectRatio, failedChecks } = await loadHarness()
    expectRatio('at the floor', [0.4, 0.5, 0.6], 0.5)
    expect(failedChecks()).toEqual([])
  })

  it('lists a skipped section with its reason', async () => {
    const { skipSection, skippedSections } = await loadHarness()
    skipSection('no Chromium at /usr/bin/chromium')
    expect(skippedSections()).toEqual(['no Chromium at /usr/bin/chromium'])
    expect(printed.at(-1)).toBe('skipped: no Chromium at /usr/bin/chromium')
  })
})
