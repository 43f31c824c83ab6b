/**
 * policy.system through the eval core: anthropic specs run by runSuite and runGate (real store,
 * real tools, the real SDK over HTTP to the scripted server). The spec's own instructions reach
 * the request after Andon's protocol, are recorded in each DecisionMade, and the gate's runs
 * alternate baseline and candidate.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runGate } from '../../src/main/core/eval/gate'
import { runSuite } from '../../src/main/core/eval/run-suite'
import { parseSuite } from '../../src/main/core/eval/suite'
import { LOOP_INSTRUCTIONS_HEADING, SYSTEM_PROMPT } from '../../src/main/core/policies/anthropic/prompt'
import { listedLoops } from '../../src/main/core/store/listed-loops'
import type { LoopSpec } from '../../src/shared/spec'
import { toolUse } from '../support/scripted-server'
import { useScriptedAnthropicCore } from '../support/scripted-anthropic-core'
import { examplesDir, spec } from '../support/specs'

const KEY = 'sk-ant-eval-5ecret-0123456789abcdef'
const core = useScriptedAnthropicCore(KEY, { retry: { maxAttempts: 1, baseDelayMs: 5 } })

// One case whose workspace is already green: one decision (verify) per run.
const suite = parseSuite(
  JSON.stringify({
    name: 'system prompt',
    version: 2,
    cases: [{ name: 'green', workspace: join(examplesDir, 'workspaces/fix-the-tests'), files: { 'math.js': 'exports.add = (a, b) => a + b\nexports.mul = (a, b) => a * b\n' } }]
  }),
  '/nowhere/suite.yaml'
)

function claude(version: string, system?: string): LoopSpec {
  return spec({
    name: 'claude-fixer',
    version,
    task: 'Make `node verify.js` pass.',
    policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: core.server.anthropicBaseUrl, timeoutMs: 5_000, ...(system ? { system } : {}) },
    tools: [{ name: 'verify' }],
    termination: { verifyCommand: 'node verify.js' }
  })
}

const systems = () => core.server.requests.filter((r) => r.path.endsWith('/v1/messages')).map((r) => (r.body as { system: string }).system)

describe('policy.system in eval runs', () => {
  it("reaches the request after Andon's protocol under its heading, and is recorded with the decision", async () => {
    core.server.anthropic.enqueue(toolUse('verify', {}))
    const target = { spec: claude('v1', '  Always run verify first; never edit tests.\n'), specPath: '/nowhere/claude.yaml' }
    const { results, report } = await runSuite(core.andon, suite, target)
    expect(results[0]).toMatchObject({ outcome: 'SUCCESS', passed: true, iterations: 1 })
    expect(report.passRate).toBe(1)
    const [sent] = systems()
    expect(sent).toBe(`${SYSTEM_PROMPT}\n\n${LOOP_INSTRUCTIONS_HEADING}\nAlways run verify first; never edit tests.`)
    const events = core.andon.store.readStream(results[0].loopId)
    const decision = events.find((e) => e.type === 'DecisionMade')
    expect((decision?.data.prompt as { request: { system: string } }).request.system).toBe(sent)
    const created = events.find((e) => e.type === 'LoopCreated')
    expect(created?.type === 'LoopCreated' && created.data.spec.version).toBe('v1')
    expect(created?.type === 'LoopCreated' && created.data.spec.policy.kind === 'anthropic' && created.data.spec.policy.system).toMatch(/never edit tests/)
    // Tagged as an eval run and archived: out of the operator's list, still in the store.
    expect(listedLoops(core.andon.store)).toEqual([])
    expect(listedLoops(core.andon.store, { archived: true })[0].tags).toEqual(['eval', 'suite:system-prompt'])
  })

  it('without system the request carries exactly the protocol', async () => {
    core.server.anthropic.enqueue(toolUse('verify', {}))
    await runSuite(core.andon, suite, { spec: claude('v0'), specPath: '/nowhere/claude.yaml' })
    expect(systems()).toEqual([SYSTEM_PROMPT])
  })

  it('the gate runs baseline and candidate in turn, each with its own instructions, and names them by label', async () => {
    core.server.anthropic.enqueue(...Array.from({ length: 6 }, () => toolUse('verify', {})))
    const report = await runGate(core.andon, suite, { spec: claude('v1', 'BASELINE words'), specPath: '/nowhere/a.yaml' }, { spec: claude('v2', 'CANDIDATE words'), specPath: '/nowhere/b.yaml' }, { repetitions: 3 })
    expect(systems().map((s) => s.split('\n').at(-1))).toEqual(['BASELINE words', 'CANDIDATE words', 'BASELINE words', 'CANDIDATE words', 'BASELINE words', 'CANDIDATE words'])
    expect(report).toMatchObject({
      suite: { name: 'system prompt', version: 2, cases: 1 },
      baseline: { name: 'v1', system: 'BASELINE words' },
      candidate: { name: 'v2', system: 'CANDIDATE words' },
      repetitions: 3,
      verdict: 'no difference'
    })
    expect(report.runs.map((r) => r.side)).toEqual(['baseline', 'candidate', 'baseline', 'candidate', 'baseline', 'candidate'])
    expect(report.passRate).toMatchObject({ baseline: 1, candidate: 1, pWorse: 1, pBetter: 1 })
  })
})
