/**
 * Recovery never repeats a side effect: a real Andon child process is SIGKILLed at chosen points,
 * a new core takes over the same data dir. The tool's orphaned process group is ended, the
 * operator says whether a cut-off call took effect (nothing re-runs unless asked), a decision cut
 * off is made again for the same iteration, a provider's retry-after outlives the restart, and
 * the downtime is not active time.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import type { StoredEvent } from '../../src/shared/events'
import type { LoopSpecInput } from '../../src/shared/spec'
import { killCrashChildren, runUntilKill } from '../support/crash'
import { rateLimited, startScriptedServer, toolUse, type ScriptedServer } from '../support/scripted-server'
import { madeOnceSpec, spec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'
import { tempDirsPerTest } from '../support/temp-per-test'

let server: ScriptedServer
beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(async () => {
  setSharedBackpressure(null)
  await server.close()
})
afterEach(() => killCrashChildren())
const dataDir = tempDirsPerTest()

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const ofType = <T extends StoredEvent['type']>(events: StoredEvent[], type: T) => events.filter((e) => e.type === type) as Extract<StoredEvent, { type: T }>[]

/** Writes one line, then keeps running (its process group outlives a SIGKILL of the host). */
const sideEffect = (extra: Partial<LoopSpecInput> = {}) => JSON.stringify(madeOnceSpec('echo made | tee -a made.txt; sleep 3; echo late >> made.txt', extra))

describe('recovery after SIGKILL of the host', () => {
  it("ends the tool's orphaned process group, so the call cannot finish its side effect after the restart", async () => {
    const dir = dataDir()
    const { loopId } = await runUntilKill(dir, sideEffect(), /ToolOutput/)
    const andon = await tempAndon({ dataDir: dir })
    await andon.supervisor.settled(loopId)
    const info = ofType(andon.store.readStream(loopId), 'ToolOutput').map((e) => e.data.chunk).join('')
    expect(info).toMatch(/its process group \(pid \d+\) was still running after Andon stopped; it was ended/)
    // Past the point where the orphan would have written "late".
    await sleep(3500)
    const ws = andon.supervisor.liveState(loopId).workspace!
    expect(readFileSync(join(ws, 'made.txt'), 'utf8')).toBe('made\n')
    expect(andon.supervisor.liveState(loopId).escalation?.kind).toBe('outcome-unknown')
    await andon.close()
  })

  it('"it took effect": the loop goes on from the call without running it again, and the row says it was interrupted', async () => {
    const dir = dataDir()
    const { loopId } = await runUntilKill(dir, sideEffect(), /ToolOutput/)
    const andon = await tempAndon({ dataDir: dir })
    await andon.supervisor.settled(loopId)
    await andon.handlers.resolveOutcome({ loopId, outcome: 'happened', note: 'made.txt has the line' })
    await andon.supervisor.settled(loopId)
    const state = andon.supervisor.liveState(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    const events = andon.store.readStream(loopId)
    expect(ofType(events, 'ToolStarted').filter((e) => e.data.tool === 'run_command')).toHaveLength(1)
    expect(ofType(events, 'ToolFinished')[0].data).toMatchObject({ ok: true, resolvedBy: 'operator' })
    expect(ofType(events, 'EscalationResolved')[0].data.resolution).toBe('happened')
    const rows = andon.store.iterationRows(loopId)
    expect(rows[0]).toMatchObject({ iteration: 1, interrupted: true, result: { ok: true, summary: expect.stringMatching(/took effect before Andon stopped, says operator \(made\.txt has the line\)/) } })
    expect(readFileSync(join(state.workspace!, 'made.txt'), 'utf8')).toBe('made\n')
    await andon.close()
  })

  it('"it did not take effect": recorded as such, not as a tool error, and the call is not re-run', async () => {
    const dir = dataDir()
    const { loopId } = await runUntilKill(dir, sideEffect({ invariants: { toolErrorStreak: 1 } }), /ToolOutput/)
    const andon = await tempAndon({ dataDir: dir })
    await andon.supervisor.settled(loopId)
    await andon.handlers.resolveOutcome({ loopId, outcome: 'not-happened', note: '' })
    await andon.supervisor.settled(loopId)
    const events = andon.store.readStream(loopId)
    expect(ofType(events, 'ToolStarted').filter((e) => e.data.tool === 'run_command')).toHaveLength(1)
    expect(ofType(events, 'Observed')[0].data.observation).toMatchObject({ ok: false, summary: expect.stringMatching(/did not take effect.*it was not re-run/) })
    // With toolErrorStreak 1 a tool error would escalate at once: the operator's word is not one.
    const checks = ofType(events, 'InvariantChecked')
    expect(checks[0].data.results.find((r) => r.name === 'tool-error-streak')?.ok).toBe(true)
    // The loop went on to its next decision (the verify rule) instead of re-running the call.
    expect(ofType(events, 'DecisionMade').map((d) => [d.data.iteration, d.data.action.tool])).toEqual([
      [1, 'run_command'],
      [2, 'verify']
    ])
    await andon.close()
  })

  it('a decision cut off by the kill is made again for the same iteration: no blank row, no iteration used up', async () => {
    const dir = dataDir()
    const slow = JSON.stringify(
      spec({
        policy: { kind: 'rules', delayMs: 3000, rules: [{ name: 'check', when: {}, then: { tool: 'verify' } }] },
        termination: { verifyCommand: 'true' }
      })
    )
    const { loopId } = await runUntilKill(dir, slow, /IterationStarted/)
    const andon = await tempAndon({ dataDir: dir })
    await until(() => andon.supervisor.liveState(loopId).termination, 15_000, 'the loop to end')
    const events = andon.store.readStream(loopId)
    expect(ofType(events, 'IterationStarted').map((e) => e.data.iteration)).toEqual([1])
    expect(ofType(events, 'DecisionMade').map((e) => e.data.iteration)).toEqual([1])
    expect(andon.store.iterationRows(loopId)).toMatchObject([{ iteration: 1, interrupted: true, action: { tool: 'verify' }, result: { ok: true } }])
    expect(andon.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
    await andon.close()
  })

  it('downtime after a crash is not active time', async () => {
    const dir = dataDir()
    const { loopId, killedAt } = await runUntilKill(dir, sideEffect(), /ToolOutput/)
    await sleep(2000)
    const andon = await tempAndon({ dataDir: dir })
    await andon.supervisor.settled(loopId)
    const interrupted = ofType(andon.store.readStream(loopId), 'Interrupted')[0]
    expect(interrupted.data.lastAliveAt).toBeLessThanOrEqual(killedAt)
    expect(interrupted.data.lastAliveAt).toBeGreaterThan(killedAt - 2500)
    const s = andon.supervisor.liveState(loopId)
    // Launch to kill took well under two seconds; the two seconds down are not counted.
    expect(s.activeMs).toBeLessThan(killedAt - s.createdAt + 100)
    await andon.close()
  })

  it("a provider's retry-after outlives the restart: the next call waits until the recorded time", async () => {
    const KEY = 'sk-ant-recovery-0123456789abcdef'
    server.anthropic.reset()
    server.anthropic.apiKey = KEY
    server.requests.length = 0
    server.anthropic.enqueue(rateLimited('4'), toolUse('verify', {}))
    const dir = dataDir()
    const s = JSON.stringify(
      spec({
        policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: server.anthropicBaseUrl, timeoutMs: 5_000 },
        termination: { verifyCommand: 'true' }
      })
    )
    const env = { ANTHROPIC_API_KEY: KEY, ...server.allowAnthropic }
    const { loopId } = await runUntilKill(dir, s, /DecisionDelayed/, env)
    setSharedBackpressure(new Backpressure())
    const andon = await tempAndon({ dataDir: dir, env })
    const delayed = ofType(andon.store.readStream(loopId), 'DecisionDelayed')[0]
    await until(() => andon.supervisor.liveState(loopId).termination, 15_000, 'the loop to end')
    expect(server.requests).toHaveLength(2)
    expect(server.requests[1].at).toBeGreaterThanOrEqual(delayed.data.until - 5)
    expect(andon.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
    await andon.close()
  })
})
