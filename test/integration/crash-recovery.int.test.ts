import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../src/shared/events'
import { killCrashChildren, runUntilKill } from '../support/crash'
import { spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'

const dirs: string[] = []
afterEach(() => {
  killCrashChildren()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function expectIntactLog(events: StoredEvent[], committedBeforeKill: string[]): void {
  expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1))
  const iterations = events.flatMap((e) => (e.type === 'IterationStarted' ? [e.data.iteration] : []))
  expect(new Set(iterations).size).toBe(iterations.length)
  // Every event the killed process saw committed is still there, in the same place.
  for (const line of committedBeforeKill.filter((l) => l.startsWith('EV '))) {
    const [, , version, type] = line.split(' ')
    expect(events[Number(version) - 1].type).toBe(type)
  }
}

const twoSteps = (firstTool: 'run_command' | 'write_file') =>
  JSON.stringify(
    spec({
      policy: {
        kind: 'rules',
        rules: [
          {
            name: 'make',
            when: { start: true },
            then:
              firstTool === 'run_command'
                ? { tool: 'run_command', args: { command: 'sleep 0.4; echo made >> made.txt' } }
                : { tool: 'write_file', args: { path: 'made.txt', content: 'made\n' } }
          },
          { name: 'check', when: {}, then: { tool: 'verify' } }
        ]
      },
      termination: { verifyCommand: 'sleep 0.4; test -f made.txt' }
    })
  )

describe('durability across SIGKILL of the process (real child process, real SQLite file)', () => {
  it('re-runs an idempotent call that was cut off and resumes to SUCCESS with no event lost or doubled', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const { loopId, lines } = await runUntilKill(dataDir, twoSteps('write_file'), /ToolStarted verify/)
    const andon = await tempAndon({ dataDir })
    await andon.supervisor.settled(loopId)
    const events = andon.store.readStream(loopId)
    expectIntactLog(events, lines)
    expect(events.some((e) => e.type === 'Interrupted')).toBe(true)
    expect(andon.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
    // The cut-off verify was re-run under the same call, not proposed again.
    expect(events.filter((e) => e.type === 'ToolStarted' && e.data.tool === 'verify')).toHaveLength(1)
    await andon.close()
  })

  it('escalates a non-idempotent call whose outcome is unknown; re-runs it only when the operator says so', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const { loopId, lines } = await runUntilKill(dataDir, twoSteps('run_command'), /ToolStarted run_command/)
    const andon = await tempAndon({ dataDir })
    await andon.supervisor.settled(loopId)
    let state = andon.supervisor.liveState(loopId)
    expect(state.status).toBe('escalated')
    expect(state.escalation?.kind).toBe('outcome-unknown')
    expect(state.escalation?.suggestions.map((s) => s.command)).toEqual(expect.arrayContaining(['happened', 'not-happened', 'retry', 'abort']))
    // "Resume as is" would re-run the call: it is neither offered nor accepted.
    expect(state.escalation?.suggestions.map((s) => s.command)).not.toContain('resume')
    expectIntactLog(andon.store.readStream(loopId), lines)
    await andon.close()

    // The pending escalation survives another restart untouched.
    const again = await tempAndon({ dataDir })
    expect(again.supervisor.liveState(loopId).escalation?.kind).toBe('outcome-unknown')
    await expect(again.handlers.resumeLoop({ loopId })).rejects.toThrow(/may or may not have taken effect/)
    await again.handlers.resolveOutcome({ loopId, outcome: 'retry', note: '' })
    await again.supervisor.settled(loopId)
    state = again.supervisor.liveState(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    const events = again.store.readStream(loopId)
    expect(events.filter((e) => e.type === 'ToolStarted' && e.data.tool === 'run_command')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'ToolFinished')).toHaveLength(2)
    await again.close()
  })

  it('keeps an approval waiting across a kill, and the loop continues once approved', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const gated = JSON.stringify({ ...JSON.parse(twoSteps('write_file')), autonomy: 'approve-every-action' })
    const { loopId } = await runUntilKill(dataDir, gated, /ActionProposed/)
    const andon = await tempAndon({ dataDir })
    const [item] = await andon.handlers.listInbox({})
    expect(item).toMatchObject({ loopId, kind: 'approval' })
    await andon.handlers.decideApproval({ loopId, callId: item.callId!, decision: 'approve', reason: '' })
    await andon.supervisor.settled(loopId)
    expect(andon.supervisor.liveState(loopId).status).toBe('awaiting-approval')
    expect(andon.supervisor.liveState(loopId).iteration).toBe(2)
    await andon.close()
  })
})
