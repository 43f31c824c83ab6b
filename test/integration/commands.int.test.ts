/**
 * Operator commands are decided against the state the operator saw and appended at that version:
 * concurrent decisions on one approval record one, a stale view is refused, a fork of a running
 * loop leaves its driver alone, and a fork of a fork rebuilds every ancestor's file edits.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { exampleSpec, spec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
afterEach(() => andon?.cleanup())

const gated = () =>
  spec({
    autonomy: 'approve-every-action',
    policy: { kind: 'rules', rules: [{ name: 'v', when: {}, then: { tool: 'verify' } }] },
    termination: { verifyCommand: 'true' }
  })

describe('operator commands decided against the version they saw', () => {
  it('two concurrent decisions on one approval: exactly one is recorded, the other is refused', async () => {
    andon = await tempAndon()
    for (const [first, second] of [
      ['approve', 'reject'],
      ['approve', 'approve'],
      ['reject', 'reject']
    ] as const) {
      const loopId = await andon.supervisor.launch(gated())
      await andon.supervisor.settled(loopId)
      const callId = andon.supervisor.liveState(loopId).pendingCall!.callId
      const results = await Promise.allSettled([
        andon.handlers.decideApproval({ loopId, callId, decision: first, reason: 'no' }),
        andon.handlers.decideApproval({ loopId, callId, decision: second, reason: 'no' })
      ])
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      expect(refused.reason).toMatchObject({ status: 409, message: expect.stringMatching(/not waiting for approval/) })
      await andon.supervisor.settled(loopId)
      const decided = andon.store.readStream(loopId).filter((e) => (e.type === 'ActionApproved' || e.type === 'ActionRejected') && e.data.callId === callId)
      expect(decided).toHaveLength(1)
      await andon.handlers.cancelLoop({ loopId })
    }
  })

  it('a command against a version the loop has moved past is refused and records nothing', async () => {
    andon = await tempAndon()
    const loopId = await andon.supervisor.launch(gated())
    await andon.supervisor.settled(loopId)
    const seen = andon.supervisor.liveState(loopId)
    // Another operator patches the loop first.
    await andon.handlers.patchState({ loopId, patch: { ops: [{ op: 'addFact', fact: 'deploys are frozen' }] }, why: 'freeze', expectedVersion: seen.version })
    const before = andon.store.streamVersion(loopId)
    await expect(
      andon.handlers.decideApproval({ loopId, callId: seen.pendingCall!.callId, decision: 'approve', reason: '', expectedVersion: seen.version })
    ).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/changed since you looked at it/) })
    expect(andon.store.streamVersion(loopId)).toBe(before)
    expect(andon.supervisor.liveState(loopId).pendingCall?.approved).toBeNull()
  })

  it('forking a running loop records the fork on the parent without stopping its driver', async () => {
    andon = await tempAndon()
    const s = spec({
      policy: { kind: 'rules', delayMs: 20, rules: [{ name: 'tick', when: {}, then: { tool: 'run_command', args: { command: 'date +%N' } } }] },
      invariants: { maxIterations: 12, sameActionLimit: 50, progressEvery: 50 }
    })
    const parent = await andon.supervisor.launch(s)
    await until(() => andon.supervisor.liveState(parent).iteration >= 3, 10_000, 'three iterations')
    const { loopId: child } = await andon.handlers.forkLoop({ loopId: parent, atVersion: 5, start: false })
    await andon.supervisor.settled(parent)
    const done = andon.supervisor.liveState(parent)
    expect(done.termination).toMatchObject({ reason: 'MAX_ITERATIONS' })
    expect(done.iteration).toBe(12)
    const events = andon.store.readStream(parent)
    expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1))
    expect(events.filter((e) => e.type === 'Forked')).toMatchObject([{ data: { childLoopId: child, atVersion: 5 } }])
    expect((await andon.handlers.listLoops({})).find((l) => l.loopId === parent)).toMatchObject({ status: 'terminated', terminationReason: 'MAX_ITERATIONS' })
  })

  it("a fork of a fork starts from every ancestor's file edits, not only its parent's", async () => {
    andon = await tempAndon()
    const { spec: s, specPath } = exampleSpec('fix-the-tests')
    const grandparent = await andon.supervisor.launch(s, { specPath })
    await andon.supervisor.settled(grandparent)
    // After iteration 2 of the grandparent: add() fixed, mul() not yet.
    const at2 = andon.store.iterationRows(grandparent)[1].lastVersion
    const { loopId: parent } = await andon.handlers.forkLoop({ loopId: grandparent, atVersion: at2, start: true })
    await andon.supervisor.settled(parent)
    expect(andon.supervisor.liveState(parent).termination?.reason).toBe('SUCCESS')
    // After the parent's iteration 4 (its own mul() fix), fork again.
    const at4 = andon.store.iterationRows(parent).find((r) => r.iteration === 4)!.lastVersion
    const { loopId: child } = await andon.handlers.forkLoop({ loopId: parent, atVersion: at4, start: false })
    const math = readFileSync(join(andon.supervisor.liveState(child).workspace!, 'math.js'), 'utf8')
    expect(math).toMatch(/add = \(a, b\) => a \+ b/)
    expect(math).toMatch(/mul = \(a, b\) => a \* b/)
    await andon.handlers.resumeLoop({ loopId: child })
    await andon.supervisor.settled(child)
    expect(andon.supervisor.liveState(child)).toMatchObject({ iteration: 5, termination: { reason: 'SUCCESS' } })
  })
})
