import { describe, expect, it } from 'vitest'
import { budgetExceeded, checkInvariants } from '../../src/main/core/invariants/builtin'
import { initialState, type LoopState } from '../../src/shared/state'
import { spec } from '../support/specs'

const s = spec({ policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] }, invariants: { maxIterations: 10, progressEvery: 3, sameActionLimit: 3, toolErrorStreak: 2, confidenceFloor: 0.5, budget: { tokens: 1000, seconds: 60 } } })
const state = (over: Partial<LoopState>): LoopState => ({ ...initialState('l'), spec: s, invariants: s.invariants, ...over })
const failing = (st: LoopState, now = 0) => checkInvariants(st, now).filter((r) => !r.ok).map((r) => r.name)

describe('built-in invariants', () => {
  it('all hold for a healthy loop', () => {
    expect(failing(state({ iteration: 2, lastProgressIteration: 1, recentActionKeys: ['a', 'b', 'a'], lastConfidence: 0.9 }))).toEqual([])
  })
  it('the iteration cap fails at the cap', () => {
    expect(failing(state({ iteration: 10, lastProgressIteration: 10 }))).toEqual(['iteration-cap'])
  })
  it('progress fails after progressEvery iterations without progress', () => {
    expect(failing(state({ iteration: 5, lastProgressIteration: 2 }))).toEqual(['progress'])
    expect(failing(state({ iteration: 4, lastProgressIteration: 2 }))).toEqual([])
  })
  it('the same call N times in a row is looping; N-1 is not', () => {
    expect(failing(state({ recentActionKeys: ['b', 'a', 'a', 'a'] }))).toEqual(['no-looping'])
    expect(failing(state({ recentActionKeys: ['a', 'a', 'b', 'a'] }))).toEqual([])
  })
  it('tool error streaks and low confidence fail', () => {
    expect(failing(state({ errorStreak: 2 }))).toEqual(['tool-error-streak'])
    expect(failing(state({ lastConfidence: 0.2 }))).toEqual(['confidence-floor'])
  })
  it('budgets: tokens and active time (paused time excluded)', () => {
    expect(budgetExceeded(state({ usage: { inputTokens: 900, outputTokens: 100, costUsd: 0 } }), 0)).toMatch(/tokens 1000 ≥ budget 1000/)
    expect(budgetExceeded(state({ activeMs: 30_000, runningSince: 1000 }), 1000 + 29_000)).toBeNull()
    expect(budgetExceeded(state({ activeMs: 30_000, runningSince: 1000 }), 1000 + 30_000)).toMatch(/running time/)
  })
})
