import { describe, expect, it } from 'vitest'
import type { LoopEventInput } from '../../src/shared/events'
import { LoopEventSchema } from '../../src/shared/events'
import { applyPatch } from '../../src/shared/patch-apply'
import { actionKey, fold, PatchError, type FoldEvent } from '../../src/shared/state'
import { spec } from '../support/specs'

const s = spec({ policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] }, invariants: { maxIterations: 9 } })
let version = 0
const ev = (e: LoopEventInput, at = 1000 + version * 10): FoldEvent => ({ ...LoopEventSchema.parse(e), loopId: 'l1', version: ++version, at })

describe('evolve: loop state as a pure fold', () => {
  it('tracks status, usage, active time and the last observation', () => {
    version = 0
    const state = fold('l1', [
      ev({ type: 'LoopCreated', data: { spec: s } }, 1000),
      ev({ type: 'Started', data: {} }, 1000),
      ev({ type: 'IterationStarted', data: { iteration: 1 } }, 1100),
      ev({ type: 'DecisionMade', data: { iteration: 1, policy: 'rules', action: { tool: 'verify', args: {} }, confidence: 0.7, subgoal: 'check', usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.01 }, latencyMs: 5 } }, 1200),
      ev({ type: 'ActionProposed', data: { iteration: 1, callId: 'c1', action: { tool: 'verify', args: {} }, risk: 'low', needsApproval: false } }, 1200),
      ev({ type: 'ToolStarted', data: { callId: 'c1', tool: 'verify', args: {}, idempotencyKey: 'k', idempotent: true } }, 1300),
      ev({ type: 'ToolFinished', data: { callId: 'c1', ok: false, exitCode: 1, durationMs: 50 } }, 1400),
      ev({ type: 'Observed', data: { iteration: 1, observation: { tool: 'verify', ok: false, summary: 'exit 1' }, progress: true } }, 1400),
      ev({ type: 'Paused', data: { by: 'operator' } }, 1500),
      ev({ type: 'Resumed', data: { by: 'operator' } }, 9000),
      ev({ type: 'Terminated', data: { reason: 'CANCELLED', iteration: 1 } }, 9100)
    ])
    expect(state).toMatchObject({
      status: 'terminated',
      iteration: 1,
      subgoal: 'check',
      errorStreak: 1,
      lastProgressIteration: 1,
      usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.01 },
      termination: { reason: 'CANCELLED' },
      openCall: null,
      pendingCall: null
    })
    expect(state.activeMs).toBe(600) // 1000→1500 and 9000→9100: the pause does not count
    expect(state.lastObservation?.summary).toBe('exit 1')
  })

  it('an approval gate stops the clock and an edited approval replaces the args', () => {
    version = 0
    const state = fold('l1', [
      ev({ type: 'LoopCreated', data: { spec: s } }),
      ev({ type: 'Started', data: {} }),
      ev({ type: 'IterationStarted', data: { iteration: 1 } }),
      ev({ type: 'ActionProposed', data: { iteration: 1, callId: 'c1', action: { tool: 'run_command', args: { command: 'rm -rf /' } }, risk: 'high', needsApproval: true } })
    ])
    expect(state.status).toBe('awaiting-approval')
    expect(state.runningSince).toBeNull()
    const next = fold('l1', [ev({ type: 'ActionApproved', data: { callId: 'c1', by: 'ana', editedArgs: { command: 'ls' } } })], state)
    expect(next.status).toBe('running')
    expect(next.pendingCall).toMatchObject({ approved: true, action: { args: { command: 'ls' } } })
  })

  it('a failed decision still spends its tokens', () => {
    version = 0
    const state = fold('l1', [
      ev({ type: 'LoopCreated', data: { spec: s } }),
      ev({ type: 'DecisionFailed', data: { iteration: 1, policy: 'anthropic', kind: 'max-tokens', message: 'cut off', usage: { inputTokens: 900, outputTokens: 2048, costUsd: 0.03 }, latencyMs: 800 } })
    ])
    expect(state.usage).toEqual({ inputTokens: 900, outputTokens: 2048, costUsd: 0.03 })
  })

  it('a rejected call never ran: it is remembered for the policy, not counted as a repeated call, and its iteration awaits its check', () => {
    version = 0
    const propose = (i: number) => [
      ev({ type: 'IterationStarted', data: { iteration: i } }),
      ev({ type: 'ActionProposed', data: { iteration: i, callId: `c${i}`, action: { tool: 'run_command', args: { command: 'rm x' } }, risk: 'high', needsApproval: true } })
    ]
    const state = fold('l1', [
      ev({ type: 'LoopCreated', data: { spec: s } }),
      ev({ type: 'Started', data: {} }),
      ...propose(1),
      ev({ type: 'ActionRejected', data: { callId: 'c1', by: 'ana', reason: 'keep x' } }),
      ev({ type: 'InvariantChecked', data: { iteration: 1, results: [] } }),
      ...propose(2),
      ev({ type: 'ActionRejected', data: { callId: 'c2', by: 'ana', reason: 'I said keep x' } })
    ])
    expect(state.recentActionKeys).toEqual([])
    expect(state.rejections.map((r) => [r.iteration, r.reason])).toEqual([[1, 'keep x'], [2, 'I said keep x']])
    expect(state.uncheckedIteration).toBe(2)
    expect(state.status).toBe('running')
    // A new observation is a new situation: the rejections were about the old one.
    const observed = fold('l1', [ev({ type: 'Observed', data: { iteration: 3, observation: { tool: 'verify', ok: false, summary: 's' }, progress: true } })], state)
    expect(observed.rejections).toEqual([])
  })

  it('a decision that never reached the model (open circuit, daily budget) leaves its iteration to be decided again', () => {
    version = 0
    const failed = (kind: string) =>
      fold('l1', [
        ev({ type: 'LoopCreated', data: { spec: s } }),
        ev({ type: 'IterationStarted', data: { iteration: 1 } }),
        ev({ type: 'DecisionFailed', data: { iteration: 1, policy: 'anthropic', kind, message: 'm', usage: {}, latencyMs: 0 } })
      ])
    expect(failed('circuit-open').decidingIteration).toBe(1)
    expect(failed('daily-budget').decidingIteration).toBe(1)
    expect(failed('malformed-response').decidingIteration).toBeNull()
  })

  it('a resumed loop whose held call still needs approval waits for it, with its clock stopped', () => {
    version = 0
    const state = fold('l1', [
      ev({ type: 'LoopCreated', data: { spec: s } }),
      ev({ type: 'Started', data: {} }),
      ev({ type: 'IterationStarted', data: { iteration: 1 } }),
      ev({ type: 'ActionProposed', data: { iteration: 1, callId: 'c1', action: { tool: 'verify', args: {} }, risk: 'low', needsApproval: true } }),
      ev({ type: 'Paused', data: { by: 'ana' } }),
      ev({ type: 'Resumed', data: { by: 'ana' } })
    ])
    expect(state.status).toBe('awaiting-approval')
    expect(state.runningSince).toBeNull()
  })

  it('time the host was down after a crash is not active time', () => {
    version = 0
    const state = fold('l1', [
      ev({ type: 'LoopCreated', data: { spec: s } }, 1000),
      ev({ type: 'Started', data: {} }, 1000),
      ev({ type: 'IterationStarted', data: { iteration: 1 } }, 1500),
      // Killed at about 1800; restarted an hour later.
      ev({ type: 'Interrupted', data: { detail: 'killed', lastAliveAt: 1800 } }, 3_601_000),
      ev({ type: 'Resumed', data: { by: 'recovery' } }, 3_601_000),
      ev({ type: 'Paused', data: { by: 'ana' } }, 3_601_200)
    ])
    expect(state.activeMs).toBe(800 + 200)
  })

  it('the fold is total: a recorded patch that would be invalid changes what it can and never throws', () => {
    version = 0
    const state = fold('l1', [
      ev({ type: 'LoopCreated', data: { spec: s } }),
      ev({ type: 'StatePatched', data: { by: 'x', why: '', patch: { ops: [{ op: 'setInvariant', name: 'maxIterations', value: -3 }] } } })
    ])
    expect(state.invariants.maxIterations).toBe(-3)
  })

  it('action keys ignore argument order', () => {
    expect(actionKey({ tool: 't', args: { a: 1, b: { c: 2, d: 3 } } })).toBe(actionKey({ tool: 't', args: { b: { d: 3, c: 2 }, a: 1 } }))
    expect(actionKey({ tool: 't', args: { a: 1 } })).not.toBe(actionKey({ tool: 't', args: { a: 2 } }))
  })
})

describe('state patches', () => {
  version = 0
  const base = fold('l1', [ev({ type: 'LoopCreated', data: { spec: s } }), ev({ type: 'Started', data: {} })])

  it('applies structured ops and resets the progress and looping counters', () => {
    const next = applyPatch(
      { ...base, iteration: 4, recentActionKeys: ['x', 'x'] },
      { ops: [{ op: 'addFact', fact: 'the API is v2' }, { op: 'setSubgoal', subgoal: 'use v2' }, { op: 'setInvariant', name: 'sameActionLimit', value: 5 }, { op: 'setMemory', key: 'k', value: [1] }] }
    )
    expect(next).toMatchObject({ facts: ['the API is v2'], subgoal: 'use v2', memory: { k: [1] }, lastProgressIteration: 4, recentActionKeys: [] })
    expect(next.invariants.sameActionLimit).toBe(5)
    expect(next.invariants.maxIterations).toBe(9)
  })

  it('rejects the whole patch and names the field when the result is invalid', () => {
    try {
      applyPatch(base, { ops: [{ op: 'addFact', fact: 'fine' }, { op: 'setInvariant', name: 'sameActionLimit', value: 1 }] })
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(PatchError)
      expect((err as PatchError).issues).toEqual([{ path: 'invariants.sameActionLimit', message: expect.any(String) }])
    }
    expect(base.facts).toEqual([])
  })

  it('replace (the raw JSON view) must be a whole valid editable state', () => {
    expect(() =>
      applyPatch(base, { ops: [{ op: 'replace', value: { subgoal: 'x', facts: [], memory: {}, invariants: { ...base.invariants, progressEvery: 0 } } }] })
    ).toThrow(/invariants\.progressEvery/)
  })
})
