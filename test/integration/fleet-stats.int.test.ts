/**
 * Fleet figures over a real store holding loops with known histories (appended at known times):
 * counts by status, convergence, iterations to converge, escalation waits and spend per UTC day.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { DailyBudget } from '../../src/shared/contract'
import { setSharedBackpressure } from '../../src/main/core/backpressure'
import { LoopArchive } from '../../src/main/core/store/archive'
import { FLEET_SQL, fleetStats } from '../../src/main/core/store/fleet-stats'
import { TraceStore } from '../../src/main/core/store/trace-store'
import { clockedStores } from '../support/clocked-store'
import { spec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

const MIN = 60_000
const NOW = Date.UTC(2026, 2, 10, 12, 0)
const DAY = 86_400_000
const rules = { kind: 'rules' as const, rules: [{ name: 'check', when: { start: true }, then: { tool: 'verify' } }] }
const noBudget: DailyBudget = { limitUsd: null, spentTodayUsd: 0, setBy: null, setAt: null, why: null }

const { open: openStore, record } = clockedStores(NOW)

function created(s: TraceStore, loopId: string, at: number, readOnly = false): void {
  record(s, loopId, at, { type: 'LoopCreated', data: { spec: spec({ name: loopId, policy: rules }), readOnly } })
  if (!readOnly) record(s, loopId, at, { type: 'Started', data: {} })
}

function iteration(s: TraceStore, loopId: string, n: number, at: number, costUsd = 0): void {
  record(s, loopId, at, { type: 'IterationStarted', data: { iteration: n } })
  record(s, loopId, at, {
    type: 'DecisionMade',
    data: { iteration: n, policy: 'rules', action: { tool: 'verify' }, confidence: 1, usage: { costUsd }, latencyMs: 1 }
  })
}

function run(s: TraceStore, loopId: string, iterations: number, at: number): void {
  for (let n = 1; n <= iterations; n++) iteration(s, loopId, n, at)
}

function terminated(s: TraceStore, loopId: string, reason: 'SUCCESS' | 'MAX_ITERATIONS' | 'STALLED', n: number, at: number): void {
  record(s, loopId, at, { type: 'Terminated', data: { reason, iteration: n } })
}

function escalated(s: TraceStore, loopId: string, n: number, at: number): void {
  const packet = {
    id: `esc-${loopId}-${n}`,
    loopId,
    kind: 'invariant' as const,
    iteration: n,
    summary: 'the same call three times in a row',
    stateSnapshot: {},
    failingInvariants: [],
    confidenceTrajectory: [],
    reasoningTrail: [],
    suggestions: [],
    abortReason: 'STALLED' as const
  }
  record(s, loopId, at, { type: 'Escalated', data: { packet } })
}

function resolved(s: TraceStore, loopId: string, n: number, at: number, how: 'resume' | 'abort'): void {
  record(s, loopId, at, { type: 'EscalationResolved', data: { escalationId: `esc-${loopId}-${n}`, by: 'operator', resolution: how } })
}

/** Three converged (3, 5 and 8 iterations), one hit the cap, one aborted after an escalation, one escalated, one running. */
function knownFleet(s: TraceStore): void {
  const t0 = NOW - 2 * 60 * MIN
  created(s, 'a', t0)
  run(s, 'a', 3, t0)
  terminated(s, 'a', 'SUCCESS', 3, t0 + MIN)

  created(s, 'b', t0)
  run(s, 'b', 5, t0)
  terminated(s, 'b', 'SUCCESS', 5, t0 + MIN)

  created(s, 'c', t0)
  run(s, 'c', 2, t0)
  escalated(s, 'c', 2, t0 + 10 * MIN)
  resolved(s, 'c', 2, t0 + 11 * MIN, 'resume')
  record(s, 'c', t0 + 11 * MIN, { type: 'Resumed', data: { by: 'operator' } })
  for (let n = 3; n <= 8; n++) iteration(s, 'c', n, t0 + 12 * MIN)
  terminated(s, 'c', 'SUCCESS', 8, t0 + 13 * MIN)

  created(s, 'd', t0)
  run(s, 'd', 10, t0)
  terminated(s, 'd', 'MAX_ITERATIONS', 10, t0 + MIN)

  created(s, 'e', t0)
  run(s, 'e', 4, t0)
  escalated(s, 'e', 4, t0 + 20 * MIN)
  resolved(s, 'e', 4, t0 + 25 * MIN, 'abort')
  terminated(s, 'e', 'STALLED', 4, t0 + 25 * MIN)

  created(s, 'f', t0)
  run(s, 'f', 3, t0)
  escalated(s, 'f', 3, t0 + 30 * MIN)

  created(s, 'g', t0)
  run(s, 'g', 1, t0)

  // Neither an archived loop nor an imported copy is part of the fleet.
  created(s, 'archived', t0)
  run(s, 'archived', 1, t0)
  escalated(s, 'archived', 1, t0 + MIN)
  new LoopArchive(s.db).set('archived', true, { by: 'operator', why: 'noise', at: t0 })
  created(s, 'imported', t0, true)
  terminated(s, 'imported', 'SUCCESS', 1, t0)
}

describe('fleet figures from the store', () => {
  it('counts loops by status and finish reason, and measures convergence and escalation waits', () => {
    const s = openStore()
    knownFleet(s)
    const stats = fleetStats(s, { now: NOW, days: 14, budget: noBudget })
    expect(stats.loops).toEqual({
      total: 7,
      byStatus: { terminated: 5, escalated: 1, running: 1 },
      finishedByReason: { SUCCESS: 3, MAX_ITERATIONS: 1, STALLED: 1 }
    })
    expect(stats.convergence).toEqual({ converged: 3, finished: 5, rate: 0.6 })
    // Iterations 3, 5, 8: the median is 5; p95 lies 90% of the way from 5 to 8.
    expect(stats.iterationsToConverge.count).toBe(3)
    expect(stats.iterationsToConverge.p50).toBe(5)
    expect(stats.iterationsToConverge.p95).toBeCloseTo(7.7, 10)
    // Waits of 1 and 5 minutes; the escalation of f is still open.
    expect(stats.escalations.open).toBe(1)
    expect(stats.escalations.timeToResolveMs).toEqual({ count: 2, p50: 3 * MIN, p95: MIN + 4 * MIN * 0.95 })
  })

  it("sums spend per UTC day over the window, with the days without spend at zero, and today's spend is today's bar", () => {
    const s = openStore()
    created(s, 'spender', NOW - 5 * DAY)
    iteration(s, 'spender', 1, NOW - 3 * DAY, 9) // before the window
    iteration(s, 'spender', 2, NOW - 2 * DAY, 0.25)
    iteration(s, 'spender', 3, Date.UTC(2026, 2, 10, 0, 0), 0.5)
    record(s, 'spender', NOW, {
      type: 'DecisionFailed',
      data: { iteration: 4, policy: 'anthropic', kind: 'rate-limited', message: 'slow down', usage: { costUsd: 0.125 }, latencyMs: 1 }
    })
    // This process's ledger saw none of it (another process spent it): today's figure is still the store's.
    const stats = fleetStats(s, { now: NOW, days: 3, budget: { ...noBudget, limitUsd: 5 } })
    expect(stats.budget).toMatchObject({ limitUsd: 5, spentTodayUsd: 0.625 })
    expect(stats.spendByDay).toEqual([
      { day: '2026-03-08', usd: 0.25 },
      { day: '2026-03-09', usd: 0 },
      { day: '2026-03-10', usd: 0.625 }
    ])
  })

  it('reads the spend and the escalations through their indexes, not by scanning every event', () => {
    const s = openStore()
    const plan = (sql: string, ...params: number[]) =>
      (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ')
    expect(plan(FLEET_SQL.escalations)).toMatch(/USING COVERING INDEX events_escalations/)
    expect(plan(FLEET_SQL.spendByDay, 0)).toMatch(/SEARCH spend_minutes USING INTEGER PRIMARY KEY/)
  })
})

describe('the fleetStats command', () => {
  afterEach(() => setSharedBackpressure(null))

  it("reports the daily budget the operator set, who set it and why, beside today's spend", async () => {
    setSharedBackpressure(null)
    const andon = await tempAndon()
    try {
      await andon.handlers.setDailyBudget({ usd: 12.5, why: 'quarter-end runs' })
      const stats = await andon.handlers.fleetStats({ days: 30 })
      expect(stats.budget).toMatchObject({ limitUsd: 12.5, spentTodayUsd: 0, setBy: 'operator', why: 'quarter-end runs' })
      expect(stats.spendByDay).toHaveLength(30)
      expect(stats.spendByDay.at(-1)!.day).toBe(new Date().toISOString().slice(0, 10))
      expect(stats.loops.total).toBe(0)
      expect(stats.convergence.rate).toBeNull()
    } finally {
      await andon.cleanup()
    }
  })
})
