/**
 * The escalation packet tells the operator how each step of its reasoning trail ended and what
 * actually failed: the invariant and its message, and the tool's own error text.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exampleSpec, spec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
beforeEach(async () => {
  andon = await tempAndon()
})
afterEach(() => andon.cleanup())

describe('escalation packet', () => {
  it('a stuck loop: every step of the trail carries its result, and the looping invariant says why it stopped', async () => {
    const { spec: stuck, specPath } = exampleSpec('stuck-needs-a-hint')
    const loopId = await andon.supervisor.launch(stuck, { specPath })
    await andon.supervisor.settled(loopId)
    const packet = andon.supervisor.liveState(loopId).escalation!
    expect(packet.failingInvariants.map((f) => f.name)).toEqual(['no-looping'])
    expect(packet.failingInvariants[0].detail).not.toBe('')
    expect(packet.reasoningTrail.length).toBeGreaterThan(1)
    for (const step of packet.reasoningTrail) {
      expect(step.result, `iteration ${step.iteration}`).toMatchObject({ ok: expect.any(Boolean), summary: expect.any(String) })
    }
    const verifies = packet.reasoningTrail.filter((t) => t.action.tool === 'verify')
    expect(verifies.map((t) => t.result)).toEqual(verifies.map(() => ({ ok: false, summary: 'node verify.js: exit 1', exitCode: 1 })))
  })

  it('a failing command: the trail shows each failure and the packet keeps the tool error text', async () => {
    const failing = spec({
      policy: { kind: 'rules', rules: [{ name: 'try', when: {}, then: { tool: 'run_command', args: { command: 'echo "disk quota exceeded on /data" >&2; exit 3' } } }] },
      tools: [{ name: 'run_command' }, { name: 'verify' }],
      termination: { verifyCommand: 'exit 1' },
      invariants: { toolErrorStreak: 2, sameActionLimit: 10 }
    })
    const loopId = await andon.supervisor.launch(failing)
    await andon.supervisor.settled(loopId)
    const packet = andon.supervisor.liveState(loopId).escalation!
    expect(packet.failingInvariants[0]).toMatchObject({ name: 'tool-error-streak' })
    expect(packet.reasoningTrail.map((t) => t.result?.ok)).toEqual([false, false])
    expect(packet.reasoningTrail[0].result?.exitCode).toBe(3)
    expect(packet.stateSnapshot.lastObservation).toMatchObject({ ok: false, exitCode: 3, excerpt: expect.stringContaining('disk quota exceeded on /data') })
  })
})
