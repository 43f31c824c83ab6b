/**
 * What an iteration costs the disk, through the real engine and a temp store: a lone rules loop
 * writes each iteration in at most two durable commits (decision + gate + start, then outcome +
 * checks + the next start; one when the decision is made at once), with the same events as
 * before; a decision that takes time waits with the last outcome stored; a held call is stored when the loop
 * stops for it and nothing of it ran; output of a long call still streams while it runs (what a
 * short call printed is written with its outcome: that is what the commit count shows).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../src/shared/events'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import { startScriptedServer, toolUse } from '../support/scripted-server'
import { spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
beforeEach(async () => {
  andon = await tempAndon()
})
afterEach(() => andon.cleanup())

function readLoop(iterations: number) {
  const workspace = tempDir()
  writeFileSync(join(workspace, 'a.txt'), 'hello\n')
  return spec({
    workspace,
    policy: { kind: 'rules', rules: [{ name: 'read', when: {}, then: { tool: 'read_file', args: { path: 'a.txt' } } }] },
    invariants: { maxIterations: iterations, sameActionLimit: 1_000_000, progressEvery: 1_000_000 }
  })
}

/** Run one loop alone from launch to its end: the durable commits it cost and its events. */
async function commitsOf(iterations: number): Promise<{ commits: number; events: StoredEvent[] }> {
  const before = andon.store.commits
  const loopId = await andon.supervisor.launch(readLoop(iterations))
  await andon.supervisor.settled(loopId)
  const commits = andon.store.commits - before
  return { commits, events: andon.store.readStream(loopId) }
}

/** A rules loop appending to out.txt, launched stopped, whose approval rule set breaks at the gate after the command ran (the next proposal). */
async function launchBreakingAfterTheCall(): Promise<{ loopId: string; workspace: string }> {
  const loopId = await andon.supervisor.launch(
    spec({
      workspace: tempDir(),
      autonomy: 'autonomous',
      policy: { kind: 'rules', rules: [{ name: 'append', when: {}, then: { tool: 'run_command', args: { command: 'echo ran >> out.txt' } } }] },
      invariants: { maxIterations: 3, sameActionLimit: 10, progressEvery: 10 }
    }),
    { start: false }
  )
  const workspace = andon.store.loadState(loopId).workspace!
  const rules = andon.supervisor.approvalRules
  const live = rules.liveFor.bind(rules)
  rules.liveFor = (specName) => {
    if (existsSync(join(workspace, 'out.txt'))) throw new Error('rule set unreadable')
    return live(specName)
  }
  return { loopId, workspace }
}

const count = (events: StoredEvent[], type: string) => events.filter((e) => e.type === type).length

describe('durable commits per iteration', () => {
  it('a lone rules loop costs at most 2 commits per iteration, and still records every step of each', async () => {
    const short = await commitsOf(20)
    const long = await commitsOf(60)
    for (const [run, n] of [
      [short, 20],
      [long, 60]
    ] as const) {
      expect(run.events.at(-1)).toMatchObject({ type: 'Terminated', data: { reason: 'MAX_ITERATIONS', iteration: n } })
      for (const type of ['IterationStarted', 'DecisionMade', 'ActionProposed', 'ToolStarted', 'ToolFinished', 'Observed', 'InvariantChecked']) {
        expect(count(run.events, type), type).toBe(n)
      }
    }
    // The 40 extra iterations cost at most 2 commits each; starting and stopping cost a few once.
    expect((long.commits - short.commits) / 40).toBeLessThanOrEqual(2)
    expect(short.commits).toBeLessThanOrEqual(2 * 20 + 4)
    // Each iteration keeps its events in their order: start, decision, gate, call, outcome, checks.
    const types = long.events.map((e) => e.type).filter((t) => t !== 'ToolOutput')
    const second = types.indexOf('IterationStarted', types.indexOf('IterationStarted') + 1)
    expect(types.slice(second, second + 8)).toEqual(['IterationStarted', 'DecisionMade', 'ActionProposed', 'ToolStarted', 'ToolFinished', 'Observed', 'InvariantChecked', 'IterationStarted'])
  })

  it('a decision that takes time does not hold back the last outcome: it is stored before the decision', async () => {
    const workspace = tempDir()
    writeFileSync(join(workspace, 'a.txt'), 'hello\n')
    const loopId = await andon.supervisor.launch(
      spec({
        workspace,
        policy: { kind: 'rules', delayMs: 150, rules: [{ name: 'read', when: {}, then: { tool: 'read_file', args: { path: 'a.txt' } } }] },
        invariants: { maxIterations: 3, sameActionLimit: 10, progressEvery: 10 }
      }),
      { start: false }
    )
    const commits: string[][] = []
    const unsubscribe = andon.store.subscribe((events) => {
      const mine = events.filter((e) => e.loopId === loopId).map((e) => e.type)
      if (mine.length) commits.push(mine)
    })
    await andon.supervisor.resume(loopId)
    await andon.supervisor.settled(loopId)
    unsubscribe()
    // Iteration 1's outcome and checks, with iteration 2's start, make one commit: the decision comes in a later one.
    const outcome = commits.find((c) => c.includes('Observed'))!
    expect(outcome).toEqual(expect.arrayContaining(['ToolFinished', 'Observed', 'InvariantChecked', 'IterationStarted']))
    expect(outcome).not.toContain('DecisionMade')
    expect(commits.find((c) => c.includes('DecisionMade'))).toEqual(['DecisionMade', 'ActionProposed', 'ToolStarted'])
  })

  it('a call the gate holds is stored when the loop stops for it, and nothing of it ran', async () => {
    const workspace = tempDir()
    const loopId = await andon.supervisor.launch(
      spec({
        workspace,
        autonomy: 'approve-every-action',
        policy: { kind: 'rules', rules: [{ name: 'touch', when: {}, then: { tool: 'run_command', args: { command: 'touch ran.txt' } } }] }
      })
    )
    await andon.supervisor.settled(loopId)
    const stored = andon.store.loadState(loopId)
    expect(stored).toMatchObject({ status: 'awaiting-approval', pendingCall: { approved: null, action: { tool: 'run_command', args: { command: 'touch ran.txt' } } } })
    expect(andon.supervisor.liveState(loopId).version).toBe(stored.version)
    const types = andon.store.readStream(loopId).map((e) => e.type)
    expect(types.slice(-2)).toEqual(['DecisionMade', 'ActionProposed'])
    expect(types).not.toContain('ToolStarted')
    expect(existsSync(join(workspace, 'ran.txt'))).toBe(false)
  })

  it("a long call's output is stored while it runs, before its outcome", async () => {
    const workspace = tempDir()
    const loopId = await andon.supervisor.launch(
      spec({
        workspace,
        policy: { kind: 'rules', rules: [{ name: 'talk', when: {}, then: { tool: 'run_command', args: { command: 'echo early; sleep 1; echo late' } } }] },
        invariants: { maxIterations: 1, sameActionLimit: 10, progressEvery: 10 }
      }),
      { start: false }
    )
    // For each stored chunk: was the call still open (not finished) once the chunk's commit was durable?
    const chunks: { chunk: string; open: boolean }[] = []
    const unsubscribe = andon.store.subscribe((events) => {
      for (const e of events) {
        if (e.loopId === loopId && e.type === 'ToolOutput') chunks.push({ chunk: e.data.chunk, open: !events.some((f) => f.loopId === loopId && f.type === 'ToolFinished') })
      }
    })
    await andon.supervisor.resume(loopId)
    await andon.supervisor.settled(loopId)
    unsubscribe()
    expect(chunks.map((c) => c.chunk).join('')).toBe('early\nlate\n')
    expect(chunks.find((c) => c.chunk.includes('early'))).toMatchObject({ open: true })
  })

  it('an engine error after a call ran still records what the call did, then the termination', async () => {
    const { loopId, workspace } = await launchBreakingAfterTheCall()
    await andon.supervisor.resume(loopId)
    await andon.supervisor.settled(loopId)
    expect(readFileSync(join(workspace, 'out.txt'), 'utf8')).toBe('ran\n')
    const events = andon.store.readStream(loopId)
    expect(events.at(-1)).toMatchObject({ type: 'Terminated', data: { reason: 'FATAL_ERROR', detail: expect.stringContaining('rule set unreadable') } })
    const types = events.map((e) => e.type).filter((t) => t !== 'ToolOutput')
    const started = types.indexOf('ToolStarted')
    expect(types.slice(started, started + 4)).toEqual(['ToolStarted', 'ToolFinished', 'Observed', 'InvariantChecked'])
    expect(events.find((e) => e.type === 'Observed')).toMatchObject({ data: { iteration: 1, observation: { tool: 'run_command', ok: true } } })
  })

  it('an engine error whose staged outcome the store refuses is still recorded as the termination', async () => {
    const { loopId } = await launchBreakingAfterTheCall()
    const store = andon.store
    const append = store.append.bind(store)
    store.append = (id, events, expected) =>
      events.some((e) => e.type === 'Observed') ? Promise.reject(new Error('the store refused the outcome')) : append(id, events, expected)
    await andon.supervisor.resume(loopId)
    await andon.supervisor.settled(loopId)
    const events = store.readStream(loopId)
    expect(events.at(-1)).toMatchObject({ type: 'Terminated', data: { reason: 'FATAL_ERROR', detail: expect.stringContaining('rule set unreadable') } })
    expect(events.map((e) => e.type)).not.toContain('Observed')
  })

  it('a policy that sends the state out (a model) is asked only once the last outcome is stored', async () => {
    const server = await startScriptedServer()
    setSharedBackpressure(new Backpressure({ random: () => 0, retry: { maxAttempts: 1, baseDelayMs: 5 }, circuit: { failureThreshold: 5, coolDownMs: 60_000 } }))
    const local = await tempAndon({ env: { ANTHROPIC_API_KEY: 'sk-ant-test-0123456789', ...server.allowAnthropic } })
    try {
      const workspace = tempDir()
      writeFileSync(join(workspace, 'a.txt'), 'hello\n')
      const loopId = await local.supervisor.launch(
        spec({
          workspace,
          autonomy: 'autonomous',
          policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: server.anthropicBaseUrl, maxTokens: 1024, timeoutMs: 5_000 },
          invariants: { maxIterations: 3, sameActionLimit: 10, progressEvery: 10 }
        }),
        { start: false }
      )
      // A slow disk: each commit lands 100 ms after it is asked for.
      const store = local.store
      const append = store.append.bind(store)
      store.append = (...args) => new Promise((r) => setTimeout(r, 100)).then(() => append(...args))
      // At each request's arrival: the observations the store holds.
      const storedAtRequest: number[] = []
      server.anthropic.fallback = () => {
        storedAtRequest.push(store.readStream(loopId).filter((e) => e.type === 'Observed').length)
        return toolUse('read_file', { path: 'a.txt' })
      }
      await local.supervisor.resume(loopId)
      await local.supervisor.settled(loopId)
      expect(local.store.readStream(loopId).at(-1)).toMatchObject({ type: 'Terminated', data: { reason: 'MAX_ITERATIONS' } })
      expect(storedAtRequest).toEqual([0, 1, 2])
    } finally {
      await local.cleanup()
      setSharedBackpressure(null)
      await server.close()
    }
  })
})
