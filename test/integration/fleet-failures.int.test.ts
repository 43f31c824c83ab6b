/**
 * Failures by root cause in the fleet figures, over a real store holding loops that failed in
 * different ways on different days (appended at known times): one count per stop, per UTC day
 * and category, with the dominant category named.
 */
import { describe, expect, it } from 'vitest'
import type { DailyBudget } from '../../src/shared/contract'
import type { RootCause } from '../../src/shared/root-cause'
import { LoopArchive } from '../../src/main/core/store/archive'
import { FLEET_SQL, fleetStats } from '../../src/main/core/store/fleet-stats'
import { TraceStore } from '../../src/main/core/store/trace-store'
import { clockedStores } from '../support/clocked-store'
import { spec } from '../support/specs'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 2, 10, 12, 0)
const rules = { kind: 'rules' as const, rules: [{ name: 'check', when: { start: true }, then: { tool: 'verify' } }] }
const noBudget: DailyBudget = { limitUsd: null, spentTodayUsd: 0, setBy: null, setAt: null, why: null }

const { open: openStore, record } = clockedStores(NOW)

const cause = (category: RootCause['category'], invariant: string | null = null): RootCause => ({ category, invariant, firstFailingIteration: 1, detail: `${category} happened` })

function created(s: TraceStore, loopId: string, at: number, readOnly = false): void {
  record(s, loopId, at, { type: 'LoopCreated', data: { spec: spec({ name: loopId, policy: rules }), readOnly } })
}

function escalated(s: TraceStore, loopId: string, id: string, at: number, rootCause?: RootCause): void {
  const packet = { id, loopId, kind: 'invariant' as const, iteration: 1, summary: 'stopped', stateSnapshot: {}, failingInvariants: [], confidenceTrajectory: [], reasoningTrail: [], suggestions: [], abortReason: 'STALLED' as const, rootCause }
  record(s, loopId, at, { type: 'Escalated', data: { packet } })
}

function terminated(s: TraceStore, loopId: string, at: number, reason: 'SUCCESS' | 'CANCELLED' | 'MAX_ITERATIONS' | 'STALLED' | 'FATAL_ERROR', rootCause?: RootCause): void {
  record(s, loopId, at, { type: 'Terminated', data: { reason, iteration: 1, rootCause } })
}

const today = NOW
const yesterday = NOW - DAY
const twoDaysAgo = NOW - 2 * DAY

function failingFleet(s: TraceStore): void {
  // Escalated twice for looping on two days (resumed in between), then aborted: two stops, not three.
  created(s, 'looper', twoDaysAgo)
  escalated(s, 'looper', 'e1', twoDaysAgo, cause('looping', 'no-looping'))
  record(s, 'looper', twoDaysAgo, { type: 'EscalationResolved', data: { escalationId: 'e1', by: 'operator', resolution: 'resume' } }, { type: 'Resumed', data: { by: 'operator' } })
  escalated(s, 'looper', 'e2', yesterday, cause('looping', 'no-looping'))
  record(s, 'looper', yesterday, { type: 'EscalationResolved', data: { escalationId: 'e2', by: 'operator', resolution: 'abort' } })
  terminated(s, 'looper', yesterday, 'STALLED', cause('looping', 'no-looping'))

  created(s, 'capped', today)
  terminated(s, 'capped', today, 'MAX_ITERATIONS', cause('budget', 'iteration-cap'))
  created(s, 'spender', today)
  escalated(s, 'spender', 'e3', today, cause('budget', 'budget'))
  created(s, 'failing-tools', yesterday)
  escalated(s, 'failing-tools', 'e4', yesterday, cause('tool-error', 'tool-error-streak'))
  // Recorded before root causes were classified: a failure all the same.
  created(s, 'old', today)
  terminated(s, 'old', today, 'FATAL_ERROR')

  // Not failures: a success, a cancellation, an escalation without a root cause (a held call).
  created(s, 'fine', today)
  terminated(s, 'fine', today, 'SUCCESS')
  created(s, 'cancelled', today)
  terminated(s, 'cancelled', today, 'CANCELLED')
  created(s, 'held', today)
  escalated(s, 'held', 'e5', today)

  // Outside the window, archived, or an imported copy: not counted.
  created(s, 'long-ago', NOW - 5 * DAY)
  escalated(s, 'long-ago', 'e6', NOW - 5 * DAY, cause('provider', 'policy-ok'))
  created(s, 'archived', today)
  escalated(s, 'archived', 'e7', today, cause('provider', 'policy-ok'))
  new LoopArchive(s.db).set('archived', true, { by: 'operator', why: 'noise', at: today })
  created(s, 'imported', today, true)
  terminated(s, 'imported', today, 'FATAL_ERROR', cause('provider', 'policy-ok'))
}

describe('failures by root cause in the fleet figures', () => {
  it('counts each failed stop once, per UTC day and category, and names the dominant category', () => {
    const s = openStore()
    failingFleet(s)
    const { failures } = fleetStats(s, { now: NOW, days: 3, budget: noBudget })
    expect(failures.byDay).toEqual([
      { day: '2026-03-08', byCategory: { looping: 1 }, total: 1 },
      { day: '2026-03-09', byCategory: { looping: 1, 'tool-error': 1 }, total: 2 },
      { day: '2026-03-10', byCategory: { budget: 2, other: 1 }, total: 3 }
    ])
    expect(failures.byCategory).toEqual({ looping: 2, budget: 2, 'tool-error': 1, other: 1 })
    expect(failures.total).toBe(6)
    // A tie between budget and looping goes to the category the classifier tries first.
    expect(failures.dominant).toBe('budget')
  })

  it('a category that dominates is named, and a fleet without failures names none', () => {
    const s = openStore()
    expect(fleetStats(s, { now: NOW, days: 3, budget: noBudget }).failures).toMatchObject({ total: 0, dominant: null, byCategory: {} })
    failingFleet(s)
    created(s, 'looper-2', today)
    escalated(s, 'looper-2', 'e8', today, cause('looping', 'no-looping'))
    expect(fleetStats(s, { now: NOW, days: 3, budget: noBudget }).failures.dominant).toBe('looping')
  })

  it('reads the stops through their index, not by scanning every event', () => {
    const s = openStore()
    const plan = (s.db.prepare(`EXPLAIN QUERY PLAN ${FLEET_SQL.failures}`).all(0) as { detail: string }[]).map((r) => r.detail).join('; ')
    expect(plan).toMatch(/USING INDEX events_stops/)
  })
})
