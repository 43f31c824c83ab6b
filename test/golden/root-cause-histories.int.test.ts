/**
 * Runs that fail in each root-cause category, driven through the real engine (store, supervisor,
 * driver, tools, the anthropic policy over HTTP, a SIGKILLed child). Each must record the expected
 * root cause on its Escalated and Terminated events. With UPDATE_GOLDEN=1 the run's history is
 * saved to root-causes/<name>.jsonl, which the unit tests of the classifier read; without it, a
 * missing recording fails.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { StoredEvent } from '../../src/shared/events'
import type { LoopSpecInput } from '../../src/shared/spec'
import { runUntilKill } from '../support/crash'
import { malformedJson, serverError, toolUse, type ScriptedServer } from '../support/scripted-server'
import { examplesDir, madeOnceSpec, spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'
import { normalize, toJsonl } from './histories'
import { describeScenarios, type Core } from './scripted-scenarios'
import { ROOT_CAUSE_CASES } from './root-causes/cases'

type Scenario = (andon: Core, server: ScriptedServer) => Promise<{ loopId: string; events?: StoredEvent[]; dataDir?: string }>

const DIR = join(__dirname, 'root-causes')
const cmd = (command: string) => ({ tool: 'run_command', args: { command } })
type Rules = { name: string; when: Record<string, unknown>; then: { tool: string; args?: Record<string, unknown> } }[]

async function launch(andon: Core, rules: Rules, extra: Partial<LoopSpecInput> = {}): Promise<string> {
  const loopId = await andon.supervisor.launch(spec({ policy: { kind: 'rules', rules }, ...extra }))
  await andon.supervisor.settled(loopId)
  return loopId
}

const anthropic = (server: ScriptedServer) => ({ kind: 'anthropic' as const, model: 'claude-sonnet-4-5', baseUrl: server.anthropicBaseUrl, maxTokens: 1024, timeoutMs: 5_000 })

/** Two commands that answer each other forever: neither repeats twice in a row. */
const alternating: Rules = [
  { name: 'a', when: { start: true }, then: cmd('echo a') },
  { name: 'b', when: { outputMatches: '^a$' }, then: cmd('echo b') },
  { name: 'a again', when: { outputMatches: '^b$' }, then: cmd('echo a') }
]

const scenarios: Record<keyof typeof ROOT_CAUSE_CASES, Scenario> = {
  async looping(andon) {
    const rules = [{ name: 'check', when: {}, then: { tool: 'verify' } }]
    return { loopId: await launch(andon, rules, { termination: { verifyCommand: 'false' }, invariants: { toolErrorStreak: 10 } }) }
  },

  async 'tool-error'(andon) {
    const rules = [
      { name: 'start', when: { start: true }, then: cmd('echo start') },
      { name: 'one', when: { outputMatches: '^(start|two)$' }, then: cmd('echo one; exit 1') },
      { name: 'two', when: { outputMatches: '^one$' }, then: cmd('echo two; exit 1') }
    ]
    return { loopId: await launch(andon, rules, { invariants: { toolErrorStreak: 3 } }) }
  },

  async 'verify-regression'(andon) {
    // verify passes, then an edit breaks it; the success predicate never holds, so a pass does not end the run.
    const rules = [
      { name: 'make', when: { start: true }, then: cmd('touch ok.txt') },
      { name: 'break', when: { lastTool: 'verify', lastFailed: false }, then: cmd('rm ok.txt') },
      { name: 'check', when: { lastTool: 'run_command' }, then: { tool: 'verify' } },
      { name: 'retry', when: { lastTool: 'verify', lastFailed: true }, then: cmd('echo retry') }
    ]
    const termination = { verifyCommand: 'test -f ok.txt', success: 'observation.tool == "read_file"' }
    return { loopId: await launch(andon, rules, { termination, invariants: { progressEvery: 3 } }) }
  },

  async 'operator-rejection'(andon) {
    const rules = ['a', 'b', 'c', 'd'].map((x) => ({ name: x, when: { start: true }, then: cmd(`echo ${x}`) }))
    const loopId = await launch(andon, rules, { autonomy: 'approve-every-action', invariants: { progressEvery: 3 } })
    while (andon.supervisor.liveState(loopId).status === 'awaiting-approval') {
      const callId = andon.supervisor.liveState(loopId).pendingCall!.callId
      await andon.handlers.decideApproval({ loopId, callId, decision: 'reject', reason: 'not that' })
      await andon.supervisor.settled(loopId)
    }
    await andon.handlers.cancelLoop({ loopId })
    return { loopId }
  },

  async 'rule-refusals'(andon) {
    const rules = ['a', 'b', 'c', 'd'].map((x) => ({ name: x, when: { start: true }, then: cmd(`echo ${x}`) }))
    const approvals = { allow: [], ask: [], deny: ['run_command(echo:*)'] }
    const loopId = await launch(andon, rules, { autonomy: 'autonomous', approvals, invariants: { progressEvery: 3 } })
    expect(andon.supervisor.liveState(loopId).status).toBe('escalated')
    await andon.handlers.cancelLoop({ loopId })
    return { loopId }
  },

  async stalled(andon) {
    return { loopId: await launch(andon, alternating, { invariants: { progressEvery: 3 } }) }
  },

  async guardrail(andon) {
    const rules = [
      { name: 'check', when: { start: true }, then: { tool: 'verify' } },
      { name: 'shell', when: { lastTool: 'verify' }, then: cmd('echo hi') }
    ]
    const custom = [{ name: 'no-shell', when: 'before-call', expr: 'call.tool != "run_command"', remediation: 'no shell commands here' }]
    return { loopId: await launch(andon, rules, { termination: { verifyCommand: 'false' }, invariants: { custom } as LoopSpecInput['invariants'] }) }
  },

  async 'iteration-cap'(andon) {
    return { loopId: await launch(andon, alternating, { invariants: { maxIterations: 3, progressEvery: 10 } }) }
  },

  async budget(andon, server) {
    server.anthropic.enqueue(toolUse('verify', {}), toolUse('verify', {}))
    const loopId = await andon.supervisor.launch(spec({ policy: anthropic(server), termination: { verifyCommand: 'false' }, invariants: { budget: { tokens: 2000 } } }))
    await andon.supervisor.settled(loopId)
    return { loopId }
  },

  async 'malformed-output'(andon, server) {
    server.anthropic.enqueue(toolUse('verify', {}), malformedJson())
    const loopId = await andon.supervisor.launch(spec({ policy: anthropic(server), termination: { verifyCommand: 'false' } }))
    await andon.supervisor.settled(loopId)
    return { loopId }
  },

  async provider(andon, server) {
    server.anthropic.enqueue(serverError())
    const loopId = await andon.supervisor.launch(spec({ policy: anthropic(server), termination: { verifyCommand: 'false' } }))
    await andon.supervisor.settled(loopId)
    return { loopId }
  },

  async interrupted() {
    // Its own data dir: no other core may adopt the loop while the child is being killed.
    const dataDir = tempDir()
    const { loopId } = await runUntilKill(dataDir, JSON.stringify(madeOnceSpec('echo made | tee -a made.txt; sleep 5')), /ToolOutput/)
    const andon = await tempAndon({ dataDir })
    try {
      await andon.supervisor.settled(loopId)
      return { loopId, events: andon.store.readStream(loopId), dataDir }
    } finally {
      await andon.cleanup()
    }
  }
}

describeScenarios('runs that fail in each way record their root cause', scenarios, async (name, scenario, andon, server) => {
  const ran = await scenario(andon, server)
  const events = ran.events ?? andon.store.readStream(ran.loopId)
  const recorded = events.flatMap((e) =>
    e.type === 'Escalated' ? [e.data.packet.rootCause] : e.type === 'Terminated' && e.data.reason !== 'SUCCESS' ? [e.data.rootCause] : []
  )
  expect(recorded.map((r) => r && { category: r.category, invariant: r.invariant, firstFailingIteration: r.firstFailingIteration })).toEqual(ROOT_CAUSE_CASES[name])
  const file = join(DIR, `${name}.jsonl`)
  if (process.env.UPDATE_GOLDEN) {
    const dataDir = ran.dataDir ?? andon.dataDir
    writeFileSync(file, toJsonl(normalize([{ loopId: ran.loopId, events }], [[dataDir, '<data>'], [examplesDir, '<examples>'], [server.url, 'http://scripted-server.invalid']])))
  }
  // The classifier's unit tests read the recording: a missing one is a failure, never silently made.
  expect(existsSync(file), `no recorded history ${file}: record it with UPDATE_GOLDEN=1`).toBe(true)
})
