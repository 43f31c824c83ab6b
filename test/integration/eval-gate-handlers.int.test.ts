/**
 * The validation gate through the contract (what the Evals screen calls): started in the
 * background on a listed suite and two listed specs, followed by its progress, one at a time,
 * and done with the same report the CLI prints, on the shipped fix-the-tests v1 and v2.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import type { EvalGateStatus } from '../../src/shared/eval-contract'
import { contract } from '../../src/shared/contract'
import { examplesDir } from '../support/specs'
import { tempAndon, tempDir, until } from '../support/temp-andon'

let tmp: string
let core: Awaited<ReturnType<typeof tempAndon>>
let suiteId: string
const specIds: Record<string, string> = {}

beforeAll(async () => {
  tmp = tempDir('andon-gate-handlers-')
  const specDir = join(tmp, 'specs')
  mkdirSync(join(specDir, 'evals'), { recursive: true })
  for (const v of ['v1', 'v2']) copyFileSync(join(examplesDir, `gate/fix-the-tests-${v}.yaml`), join(specDir, `fix-the-tests-${v}.yaml`))
  const workspace = join(examplesDir, 'workspaces/fix-the-tests')
  const mulBroken = { 'math.js': 'exports.add = (a, b) => a + b\nexports.mul = (a, b) => a + b\n' }
  writeFileSync(
    join(specDir, 'evals/gate.yaml'),
    stringify({ name: 'mul gate', version: 4, cases: [{ name: 'both broken', workspace }, { name: 'mul broken', workspace, files: mulBroken }] })
  )
  core = await tempAndon({ dataDir: join(tmp, 'data'), specDirs: [specDir] })
  for (const s of await core.handlers.listSpecs({})) if (s.path.startsWith(specDir)) specIds[s.path.endsWith('v1.yaml') ? 'v1' : 'v2'] = s.id
  suiteId = (await core.handlers.listEvalSuites({})).find((s) => s.name === 'mul gate')!.id
})
afterAll(async () => {
  await core.cleanup()
  rmSync(tmp, { recursive: true, force: true })
})

const start = (input: object) => core.handlers.startEvalGate(contract.startEvalGate.input.parse(input))

describe('startEvalGate / getEvalGate', { timeout: 120_000 }, () => {
  it('runs in the background with progress, refuses a second gate meanwhile, and ends with the verdict: v1 is worse than v2', async () => {
    const { gateId } = await start({ suiteId, baselineSpecId: specIds.v2, candidateSpecId: specIds.v1, repetitions: 3 })
    const first = await core.handlers.getEvalGate({ gateId })
    expect(first).toMatchObject({ state: 'running', total: 12, suite: { name: 'mul gate', version: 4, cases: 2 }, baseline: { name: 'v2' }, candidate: { name: 'v1' } })
    await expect(start({ suiteId, baselineSpecId: specIds.v1, candidateSpecId: specIds.v2, repetitions: 1 })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('a gate is already running (mul gate')
    })

    // Progress is seen moving while the gate runs, with the run under way named.
    const seen: EvalGateStatus[] = []
    const done = await until(async () => {
      const g = await core.handlers.getEvalGate({ gateId })
      seen.push(g)
      return g.state === 'running' ? null : g
    }, 100_000, 'the gate') as EvalGateStatus
    expect(seen.some((g) => g.state === 'running' && g.done > 0 && g.done < 12 && g.current !== null)).toBe(true)
    expect(done).toMatchObject({ state: 'done', done: 12, current: null, error: null })
    expect(done.report?.verdict).toBe('worse')
    expect(done.report?.cases.map((c) => `${c.name}: ${c.baseline.passes}/${c.baseline.runs} → ${c.candidate.passes}/${c.candidate.runs}`)).toEqual([
      'both broken: 3/3 → 0/3',
      'mul broken: 3/3 → 0/3'
    ])
    expect(done.report?.passRate.pWorse).toBeCloseTo(0.0025, 6)
    expect((await core.handlers.listEvalGates({}))[0].gateId).toBe(gateId)
  })

  it('refuses a spec or suite that is not listed, and an unknown gate', async () => {
    await expect(start({ suiteId, baselineSpecId: '/etc/passwd', candidateSpecId: specIds.v1 })).rejects.toMatchObject({ status: 404 })
    await expect(start({ suiteId: join(tmp, 'elsewhere.yaml'), baselineSpecId: specIds.v2, candidateSpecId: specIds.v1 })).rejects.toMatchObject({ status: 404 })
    await expect(Promise.resolve().then(() => core.handlers.getEvalGate({ gateId: 'gate-nope' }))).rejects.toMatchObject({ status: 404 })
  })
})
