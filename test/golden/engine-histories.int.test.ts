/**
 * Recorded histories replayed through the engine. Each scenario runs the real engine again and
 * must produce exactly the history recorded in histories/<name>.jsonl (times, ids, ports and
 * paths normalized). A change to the engine that alters what a loop records fails here; when
 * the change is intended, re-record with UPDATE_GOLDEN=1 and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { StoredEvent } from '../../src/shared/events'
import type { LoopSpec } from '../../src/shared/spec'
import { runUntilKill } from '../support/crash'
import { toolUse, type ScriptedServer } from '../support/scripted-server'
import { cleanupRules, examplesDir, exampleSpec, madeOnceSpec, spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'
import { normalize, toJsonl } from './histories'
import { describeScenarios, type Core } from './scripted-scenarios'

interface Run {
  andon: Core
  server: ScriptedServer
}
/** Loop ids in order of creation, or the loops themselves when the scenario used its own data dir. */
type Scenario = (run: Run) => Promise<string[] | { loops: { loopId: string; events: StoredEvent[] }[]; dataDir: string }>

const HISTORIES = join(__dirname, 'histories')
const fix = () => exampleSpec('fix-the-tests')

async function approveAll(andon: Core, loopId: string, edit: (iteration: number) => Record<string, unknown> | undefined = () => undefined): Promise<void> {
  for (;;) {
    await andon.supervisor.settled(loopId)
    const s = andon.supervisor.liveState(loopId)
    if (s.status !== 'awaiting-approval') return
    const editedArgs = edit(s.pendingCall!.iteration)
    await andon.handlers.decideApproval({ loopId, callId: s.pendingCall!.callId, decision: 'approve', editedArgs, reason: '' })
  }
}

const scenarios: Record<string, Scenario> = {
  async approvals({ andon }) {
    const { spec: s, specPath } = fix()
    const loopId = await andon.supervisor.launch({ ...s, autonomy: 'approve-every-action' }, { specPath })
    await approveAll(andon, loopId, (i) => (i === 2 ? { path: 'math.js', find: 'a - b', replace: 'b + a' } : undefined))
    return [loopId]
  },

  async rejection({ andon }) {
    const s = spec({
      autonomy: 'approve-risky',
      policy: {
        kind: 'rules',
        rules: cleanupRules('touch notes.bak')
      },
      termination: { verifyCommand: 'test -f notes.bak' }
    })
    const loopId = await andon.supervisor.launch(s)
    await andon.supervisor.settled(loopId)
    const first = andon.supervisor.liveState(loopId).pendingCall!
    await andon.handlers.decideApproval({ loopId, callId: first.callId, decision: 'reject', reason: 'keep the notes' })
    await approveAll(andon, loopId)
    return [loopId]
  },

  async fork({ andon }) {
    const { spec: s, specPath } = fix()
    const parent = await andon.supervisor.launch(s, { specPath })
    await andon.supervisor.settled(parent)
    const at = andon.store.iterationRows(parent)[1].lastVersion
    const child = await andon.supervisor.fork(parent, at, { ops: [{ op: 'addFact', fact: 'add() is fixed' }] })
    await andon.supervisor.settled(child)
    return [parent, child]
  },

  async 'fork-of-fork'({ andon }) {
    const { spec: s, specPath } = fix()
    const grandparent = await andon.supervisor.launch(s, { specPath })
    await andon.supervisor.settled(grandparent)
    const parent = await andon.supervisor.fork(grandparent, andon.store.iterationRows(grandparent)[1].lastVersion)
    await andon.supervisor.settled(parent)
    const at = andon.store.iterationRows(parent).find((r) => r.iteration === 4)!.lastVersion
    const child = await andon.supervisor.fork(parent, at)
    await andon.supervisor.settled(child)
    return [grandparent, parent, child]
  },

  async 'crash-mid-call'() {
    // Its own data dir: no other core may adopt the loop while the child is being killed.
    const dataDir = tempDir()
    const s = madeOnceSpec('echo made | tee -a made.txt; sleep 5')
    const { loopId } = await runUntilKill(dataDir, JSON.stringify(s), /ToolOutput/)
    const andon = await tempAndon({ dataDir })
    try {
      await andon.supervisor.settled(loopId)
      await andon.handlers.resolveOutcome({ loopId, outcome: 'happened', note: 'checked made.txt' })
      await andon.supervisor.settled(loopId)
      return { loops: [{ loopId, events: andon.store.readStream(loopId) }], dataDir }
    } finally {
      await andon.cleanup()
    }
  },

  async anthropic({ andon, server }) {
    server.anthropic.enqueue(
      toolUse('verify', {}, { report: { subgoal: 'see what fails', confidence: 0.9, rationale: 'measure first' } }),
      toolUse('replace_in_file', { path: 'math.js', find: 'a - b', replace: 'a + b' }),
      toolUse('replace_in_file', { path: 'math.js', find: 'exports.mul = (a, b) => a + b', replace: 'exports.mul = (a, b) => a * b' }),
      toolUse('verify', {})
    )
    const { spec: s, specPath } = fix()
    const claude: LoopSpec = { ...s, policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: server.anthropicBaseUrl, maxTokens: 1024, timeoutMs: 5_000 } }
    const loopId = await andon.supervisor.launch(claude, { specPath })
    await andon.supervisor.settled(loopId)
    return [loopId]
  }
}

describeScenarios('golden histories replayed through the engine', scenarios, async (name, scenario, andon, server) => {
  const ran = await scenario({ andon, server })
  const { loops, dataDir } = Array.isArray(ran)
    ? { loops: ran.map((loopId) => ({ loopId, events: andon.store.readStream(loopId) })), dataDir: andon.dataDir }
    : ran
  const got = toJsonl(normalize(loops, [[dataDir, '<data>'], [examplesDir, '<examples>'], [server.url, '<server>']]))
  const file = join(HISTORIES, `${name}.jsonl`)
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(HISTORIES, { recursive: true })
    writeFileSync(file, got)
  }
  expect(existsSync(file), `no recorded history ${file}: record it with UPDATE_GOLDEN=1`).toBe(true)
  expect(got.split('\n')).toEqual(readFileSync(file, 'utf8').split('\n'))
})
