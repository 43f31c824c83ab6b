/**
 * Operator commands, given/when/then: given the events a loop recorded, when the operator gives a
 * command, then these events are decided (or the command is refused and nothing is recorded).
 */
import { describe, expect, it } from 'vitest'
import type { LoopCommand } from '../../src/main/core/commands/commands'
import { CommandRefused } from '../../src/main/core/commands/commands'
import { decide, type DecideContext } from '../../src/main/core/commands/decide'
import type { EscalationPacket } from '../../src/shared/escalation'
import { LoopEventSchema, type LoopEventInput } from '../../src/shared/events'
import { LoopSpecSchema } from '../../src/shared/spec'
import { fold, PatchError, type FoldEvent, type LoopState } from '../../src/shared/state'

const spec = LoopSpecSchema.parse({
  name: 'decider',
  task: 't',
  autonomy: 'approve-every-action',
  policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'run_command', args: { command: 'make' } } }] }
})

const ctx: DecideContext = {
  checkArgs: (_tool, args) => (typeof args.command === 'string' ? null : 'command: expected string')
}

function given(...events: LoopEventInput[]): LoopState {
  const stored: FoldEvent[] = events.map((e, i) => ({ ...LoopEventSchema.parse(e), loopId: 'loop-1', version: i + 1, at: 1000 + i }))
  return fold('loop-1', stored)
}

const created: LoopEventInput = { type: 'LoopCreated', data: { spec } }
const started: LoopEventInput = { type: 'Started', data: { by: 'operator' } }
const proposed: LoopEventInput[] = [
  { type: 'IterationStarted', data: { iteration: 1 } },
  { type: 'DecisionMade', data: { iteration: 1, policy: 'rules', action: { tool: 'run_command', args: { command: 'make' } }, confidence: 0.9, usage: {}, latencyMs: 1 } },
  { type: 'ActionProposed', data: { iteration: 1, callId: 'loop-1:1', action: { tool: 'run_command', args: { command: 'make' } }, risk: 'high', needsApproval: true } }
]
const waiting = () => given(created, started, ...proposed)

/** When `command` is decided against `state`: the events, or the refusal's message. */
function when(state: LoopState, command: LoopCommand): LoopEventInput[] | string {
  try {
    return decide(command, state, ctx)
  } catch (err) {
    if (err instanceof CommandRefused || err instanceof PatchError) return `refused: ${err.message}`
    throw err
  }
}

describe('decide(command, state)', () => {
  it('approves the waiting call once; the same approval again is refused', () => {
    const s = waiting()
    const events = when(s, { type: 'Approve', callId: 'loop-1:1', by: 'ana' })
    expect(events).toEqual([{ type: 'ActionApproved', data: { callId: 'loop-1:1', by: 'ana', editedArgs: undefined } }])
    const after = given(created, started, ...proposed, ...(events as LoopEventInput[]))
    expect(when(after, { type: 'Approve', callId: 'loop-1:1', by: 'bo' })).toMatch(/^refused: that call is not waiting for approval/)
    expect(when(after, { type: 'Reject', callId: 'loop-1:1', reason: 'no', by: 'bo' })).toMatch(/^refused: that call is not waiting/)
  })

  it('refuses a command decided against an older version than the loop has now', () => {
    const s = waiting()
    expect(when(s, { type: 'Approve', callId: 'loop-1:1', by: 'ana', expectedVersion: s.version - 1 })).toMatch(
      new RegExp(`refused: the loop changed since you looked at it \\(you saw event ${s.version - 1}, it is now at ${s.version}\\)`)
    )
    expect(when(s, { type: 'Approve', callId: 'loop-1:1', by: 'ana', expectedVersion: s.version })).toHaveLength(1)
  })

  it('checks edited args against the tool before recording them', () => {
    expect(when(waiting(), { type: 'Approve', callId: 'loop-1:1', by: 'ana', editedArgs: { command: 7 } })).toMatch(/refused: edited args are invalid: command/)
    expect(when(waiting(), { type: 'Approve', callId: 'loop-1:1', by: 'ana', editedArgs: { command: 'make test' } })).toEqual([
      { type: 'ActionApproved', data: { callId: 'loop-1:1', by: 'ana', editedArgs: { command: 'make test' } } }
    ])
  })

  it('records a rejection with its reason, or a default one when none is given', () => {
    expect(when(waiting(), { type: 'Reject', callId: 'loop-1:1', reason: '  never run make here ', by: 'ana' })).toEqual([
      { type: 'ActionRejected', data: { callId: 'loop-1:1', by: 'ana', reason: 'never run make here' } }
    ])
    expect(when(waiting(), { type: 'Reject', callId: 'loop-1:1', reason: '', by: 'ana' })).toEqual([
      { type: 'ActionRejected', data: { callId: 'loop-1:1', by: 'ana', reason: 'rejected by the operator' } }
    ])
  })

  it('refuses a resume while a call waits for approval, and a patch while the loop runs', () => {
    expect(when(waiting(), { type: 'Resume', by: 'ana' })).toMatch(/refused: the loop waits for an approval/)
    expect(when(given(created, started), { type: 'Patch', patch: { ops: [{ op: 'addFact', fact: 'x' }] }, why: '', by: 'ana' })).toMatch(
      /refused: patches apply to a stopped loop.*this one is running/
    )
  })

  it('refuses an invalid patch naming the field, and records a valid one with who and why', () => {
    const paused = given(created, started, { type: 'Paused', data: { by: 'ana', reason: '' } })
    expect(when(paused, { type: 'Patch', patch: { ops: [{ op: 'setInvariant', name: 'maxIterations', value: -1 }] }, why: '', by: 'ana' })).toMatch(
      /refused: invalid state patch: invariants\.maxIterations/
    )
    expect(when(paused, { type: 'Patch', patch: { ops: [{ op: 'addFact', fact: 'region is eu-west-1' }] }, why: 'runbook', by: 'ana' })).toEqual([
      { type: 'StatePatched', data: { by: 'ana', why: 'runbook', patch: { ops: [{ op: 'addFact', fact: 'region is eu-west-1' }] } } }
    ])
  })

  it('cancelling an escalated loop resolves the escalation and records the reason it was raised for', () => {
    const packet = {
      id: 'esc-1',
      loopId: 'loop-1',
      kind: 'invariant',
      iteration: 1,
      summary: 'no-looping: the same call 3× in a row',
      stateSnapshot: {},
      failingInvariants: [],
      confidenceTrajectory: [],
      reasoningTrail: [],
      suggestions: [],
      abortReason: 'STALLED'
    } satisfies EscalationPacket
    const s = given(created, started, { type: 'Escalated', data: { packet } })
    expect(when(s, { type: 'Cancel', by: 'ana' })).toEqual([
      { type: 'EscalationResolved', data: { escalationId: 'esc-1', by: 'ana', resolution: 'abort' } },
      { type: 'Terminated', data: { reason: 'STALLED', detail: 'aborted by the operator: no-looping: the same call 3× in a row', iteration: 0 } }
    ])
  })

  describe('an interrupted call whose outcome is unknown', () => {
    const packet = {
      id: 'esc-2',
      loopId: 'loop-1',
      kind: 'outcome-unknown',
      iteration: 1,
      summary: 'run_command started but never finished',
      stateSnapshot: {},
      failingInvariants: [],
      confidenceTrajectory: [],
      reasoningTrail: [],
      suggestions: [],
      abortReason: 'FATAL_ERROR'
    } satisfies EscalationPacket
    const cutOffEvents = (): LoopEventInput[] => [
      created,
      started,
      ...proposed,
      { type: 'ActionApproved', data: { callId: 'loop-1:1', by: 'ana' } },
      { type: 'ToolStarted', data: { callId: 'loop-1:1', tool: 'run_command', args: { command: 'make' }, idempotencyKey: 'k', idempotent: false } },
      { type: 'Interrupted', data: { detail: 'killed', lastAliveAt: 1005 } },
      { type: 'Resumed', data: { by: 'recovery' } },
      { type: 'Escalated', data: { packet } }
    ]
    const cutOff = () => given(...cutOffEvents())

    it('refuses "resume as is", which would re-run it', () => {
      expect(when(cutOff(), { type: 'Resume', by: 'ana' })).toMatch(/refused: a call was cut off by a restart/)
    })

    it('"it happened" finishes the call as the operator said, without re-running it', () => {
      const events = when(cutOff(), { type: 'ResolveOutcome', outcome: 'happened', note: 'the file is there', by: 'ana' }) as LoopEventInput[]
      expect(events.map((e) => e.type)).toEqual(['EscalationResolved', 'ToolFinished', 'Observed', 'Resumed'])
      expect(events[1]).toMatchObject({ data: { callId: 'loop-1:1', ok: true, resolvedBy: 'ana' } })
      expect(events[2]).toMatchObject({
        data: { iteration: 1, observation: { ok: true, resolvedBy: 'ana', summary: 'run_command: took effect before Andon stopped, says ana (the file is there); its output was lost' } }
      })
      const after = given(...cutOffEvents(), ...events)
      expect(after.openCall).toBeNull()
      expect(after.status).toBe('running')
      expect(after.retryApproved).toBe(false)
    })

    it('"it did not happen" records that it was not re-run, and is not a tool error', () => {
      const events = when(cutOff(), { type: 'ResolveOutcome', outcome: 'not-happened', note: '', by: 'ana' }) as LoopEventInput[]
      expect(events[0]).toMatchObject({ data: { resolution: 'not-happened' } })
      expect(events[2]).toMatchObject({ data: { observation: { ok: false, summary: expect.stringMatching(/did not take effect.*it was not re-run/) } } })
      const after = given(...cutOffEvents(), ...events)
      expect(after.errorStreak).toBe(0)
      expect(after.uncheckedIteration).toBe(1)
    })

    it('"re-run" resolves with retry, and only then does the driver run it again', () => {
      expect(when(cutOff(), { type: 'ResolveOutcome', outcome: 'retry', note: '', by: 'ana' })).toEqual([
        { type: 'EscalationResolved', data: { escalationId: 'esc-2', by: 'ana', resolution: 'retry' } },
        { type: 'Resumed', data: { by: 'ana' } }
      ])
    })
  })

  it('recovery interrupts a running loop, but never an imported copy or a loop that stopped by itself', () => {
    const running = given(created, started)
    expect(when(running, { type: 'Interrupt', detail: 'host died', lastAliveAt: 1001, resume: true, by: 'recovery' })).toEqual([
      { type: 'Interrupted', data: { detail: 'host died', lastAliveAt: 1001 } },
      { type: 'Resumed', data: { by: 'recovery' } }
    ])
    const imported = given({ type: 'LoopCreated', data: { spec, readOnly: true } }, started)
    expect(when(imported, { type: 'Interrupt', detail: 'x', lastAliveAt: null, resume: true, by: 'recovery' })).toEqual([])
    expect(when(waiting(), { type: 'Interrupt', detail: 'x', lastAliveAt: null, resume: true, by: 'recovery' })).toEqual([])
  })

  it('refuses every command on an imported (read-only) or terminated loop', () => {
    const imported = given({ type: 'LoopCreated', data: { spec, readOnly: true } })
    expect(when(imported, { type: 'Resume', by: 'ana' })).toMatch(/refused: this loop was imported and is read-only/)
    const ended = given(created, started, { type: 'Terminated', data: { reason: 'SUCCESS', iteration: 3 } })
    expect(when(ended, { type: 'Patch', patch: { ops: [{ op: 'addFact', fact: 'x' }] }, why: '', by: 'ana' })).toMatch(/refused: the loop has terminated/)
  })
})
