/**
 * Spend per day is kept per minute beside the decisions it sums, so a start reads today's spend
 * without scanning the events. Checked against the scan it replaced (kept here as the oracle).
 */
import { describe, expect, it } from 'vitest'
import type { LoopEventInput } from '../../src/shared/events'
import { LoopSpecSchema } from '../../src/shared/spec'
import { exportBundleBytes } from '../../src/main/core/bundles/export'
import { importBundle } from '../../src/main/core/bundles/import'
import { fleetStats } from '../../src/main/core/store/fleet-stats'
import { TraceStore } from '../../src/main/core/store/trace-store'
import { clockedStores } from '../support/clocked-store'

/** The query spentSince ran before: every decision's cost at or after `ms`, from the events. */
const OLD_SCAN = `SELECT COALESCE(SUM(json_extract(data, '$.usage.costUsd')), 0) AS usd FROM events
  WHERE type IN ('DecisionMade', 'DecisionFailed') AND at >= ?`
const scanned = (store: TraceStore, ms: number) => (store.db.prepare(OLD_SCAN).get(ms) as { usd: number }).usd

const spec = LoopSpecSchema.parse({ name: 'spend', task: 't', policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] } })
const usage = (costUsd: number) => ({ inputTokens: 10, outputTokens: 5, costUsd })
const decided = (iteration: number, costUsd: number): LoopEventInput => ({
  type: 'DecisionMade',
  data: { iteration, policy: 'anthropic', action: { tool: 'verify', args: {} }, confidence: 0.5, usage: usage(costUsd), latencyMs: 3 }
})
const failed = (iteration: number, costUsd: number): LoopEventInput => ({
  type: 'DecisionFailed',
  data: { iteration, policy: 'anthropic', kind: 'provider', message: 'overloaded', usage: usage(costUsd), latencyMs: 3 }
})

/** Close `store` as the previous Andon left its database (no per-minute totals, schema 10) and open it again, migrating. */
function reopenAsSchema10(store: TraceStore): TraceStore {
  const path = store.db.name
  store.db.exec('DROP TABLE spend_minutes')
  store.db.pragma('user_version = 10')
  store.close()
  return new TraceStore({ path })
}

const DAY = 86_400_000
const MIN = 60_000
const day0 = Date.parse('2030-03-10T00:00:00Z')
/** Starts of day the budget may be asked for: UTC midnights and midnights in UTC+5:30 and UTC−8. */
const starts = [0, 1, 2, 3].flatMap((d) => [day0 + d * DAY, day0 + d * DAY - 5.5 * 3_600_000, day0 + d * DAY + 8 * 3_600_000])

const stores = clockedStores(day0)

/** Decisions of two loops over three days, at minute boundaries and inside minutes. */
function recordDays(store: TraceStore): void {
  for (const loopId of ['a', 'b']) stores.record(store, loopId, day0 - DAY, { type: 'LoopCreated', data: { spec } })
  let iteration = 0
  for (const at of [day0 - 1, day0, day0 + MIN - 1, day0 + 5.5 * 3_600_000, day0 + DAY - MIN, day0 + DAY + 8 * 3_600_000 + 1, day0 + 2 * DAY + 17 * MIN]) {
    iteration++
    stores.record(store, 'a', at, { type: 'IterationStarted', data: { iteration } }, decided(iteration, 0.01 * iteration))
    // Two loops' decisions in one group commit, one of them a failed call that still cost.
    stores.record(store, 'b', at, { type: 'IterationStarted', data: { iteration } }, failed(iteration, 0.003), decided(iteration, 0.0005))
  }
}

describe('spend per day', () => {
  it('gives the totals the events scan gave for any start of day, and again after reopening', () => {
    const store = stores.open()
    recordDays(store)
    for (const since of starts) expect(store.spentSince(since), new Date(since).toISOString()).toBeCloseTo(scanned(store, since), 12)
    expect(store.spentSince(day0)).toBeGreaterThan(0)
    const path = store.db.name
    store.close()
    const reopened = new TraceStore({ path })
    try {
      for (const since of starts) expect(reopened.spentSince(since)).toBeCloseTo(scanned(reopened, since), 12)
    } finally {
      reopened.close()
    }
  })

  it('is backfilled from the events of a database written before it was kept', () => {
    const store = stores.open()
    recordDays(store)
    const expected = starts.map((since) => scanned(store, since))
    const migrated = reopenAsSchema10(store)
    try {
      expect(migrated.db.pragma('user_version', { simple: true })).toBe(11)
      starts.forEach((since, i) => expect(migrated.spentSince(since)).toBeCloseTo(expected[i], 12))
    } finally {
      migrated.close()
    }
  })

  it('does not count a bundle imported into the same Andon, before or after a restart', async () => {
    const store = stores.open()
    recordDays(store)
    const before = starts.map((since) => store.spentSince(since))
    const { bytes } = await exportBundleBytes(store, { loopIds: ['a', 'b'], appVersion: 'test' })
    const { loopIds } = await importBundle(store, bytes)
    expect(loopIds).toHaveLength(2)
    // The scan counted the imported copies by their recorded times: the same spend twice.
    expect(scanned(store, day0)).toBeCloseTo(2 * before[0], 12)
    expect(starts.map((since) => store.spentSince(since))).toEqual(before)
    // The backfill of an older database leaves the imported loops out as well.
    const migrated = reopenAsSchema10(store)
    try {
      starts.forEach((since, i) => expect(migrated.spentSince(since)).toBeCloseTo(before[i], 12))
    } finally {
      migrated.close()
    }
  })

  it("gives the fleet view the budget's figures: an imported bundle's spend is in neither", async () => {
    const store = stores.open()
    recordDays(store)
    const { bytes } = await exportBundleBytes(store, { loopIds: ['a', 'b'], appVersion: 'test' })
    await importBundle(store, bytes)
    const now = day0 + 2 * DAY + 12 * 3_600_000
    const budget = { limitUsd: null, spentTodayUsd: 0, setBy: null, setAt: null, why: null }
    const fleet = fleetStats(store, { now, days: 4, budget })
    expect(fleet.spendByDay.map((d) => d.day)).toEqual(['2030-03-09', '2030-03-10', '2030-03-11', '2030-03-12'])
    fleet.spendByDay.forEach((d, i) => {
      const start = day0 + (i - 1) * DAY
      expect(d.usd, d.day).toBeCloseTo(store.spentSince(start) - store.spentSince(start + DAY), 12)
    })
    expect(fleet.spendByDay[1].usd).toBeGreaterThan(0)
    expect(fleet.budget.spentTodayUsd).toBeCloseTo(store.spentSince(day0 + 2 * DAY), 12)
    // The scan of the events would have counted the imported copies: twice the budget's figure.
    expect(scanned(store, day0 + 2 * DAY)).toBeCloseTo(2 * fleet.budget.spentTodayUsd, 12)
  })

  it('is refilled from the events by a rebuild of the projections, imported loops left out', async () => {
    const store = stores.open()
    recordDays(store)
    const expected = starts.map((since) => scanned(store, since))
    const { bytes } = await exportBundleBytes(store, { loopIds: ['a', 'b'], appVersion: 'test' })
    await importBundle(store, bytes)
    store.db.exec('DELETE FROM spend_minutes')
    expect(store.spentSince(starts[0])).toBe(0)
    store.rebuildProjections()
    starts.forEach((since, i) => expect(store.spentSince(since), new Date(since).toISOString()).toBeCloseTo(expected[i], 12))
  })
})
