/**
 * A failure to classify a run's root cause never blocks the stop it describes: with a classifier
 * that throws, a loop still terminates (and escalates) as it would, with no root cause recorded.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { spec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'

vi.mock('../../src/main/core/diagnosis/classify', () => ({
  classifyRun: () => {
    throw new Error('classifier bug')
  }
}))

let andon: Awaited<ReturnType<typeof tempAndon>>
beforeEach(async () => {
  andon = await tempAndon()
})
afterEach(() => andon.cleanup())

describe('a classifier that throws', () => {
  it('a run that reaches its iteration cap still terminates MAX_ITERATIONS, without a root cause', async () => {
    const loopId = await andon.supervisor.launch(
      spec({
        policy: { kind: 'rules', rules: [{ name: 'check', when: {}, then: { tool: 'verify', args: {} } }] },
        autonomy: 'autonomous',
        invariants: { maxIterations: 1, sameActionLimit: 10, progressEvery: 10 },
        termination: { verifyCommand: 'false' }
      })
    )
    await until(() => andon.supervisor.liveState(loopId).status === 'terminated', 15_000, 'the loop to end')
    const terminated = andon.store.readStream(loopId).find((e) => e.type === 'Terminated')
    expect(terminated).toMatchObject({ data: { reason: 'MAX_ITERATIONS' } })
    expect(terminated!.type === 'Terminated' && terminated!.data.rootCause).toBeUndefined()
  })

  it('a run that escalates still raises its packet, without a root cause', async () => {
    const loopId = await andon.supervisor.launch(
      spec({
        policy: { kind: 'rules', rules: [{ name: 'fail', when: {}, then: { tool: 'run_command', args: { command: 'false' } } }] },
        autonomy: 'autonomous',
        invariants: { maxIterations: 10, sameActionLimit: 10, progressEvery: 10, toolErrorStreak: 2 }
      })
    )
    await until(() => andon.supervisor.liveState(loopId).status === 'escalated', 15_000, 'the loop to escalate')
    const packet = andon.supervisor.liveState(loopId).escalation!
    expect(packet).toMatchObject({ failingInvariants: [expect.objectContaining({ name: 'tool-error-streak' })] })
    expect(packet.rootCause).toBeUndefined()
  })
})
