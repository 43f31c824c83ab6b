/**
 * Runs saved as eval cases and replayed by `andon eval`: real loops (rules policy, temp data dir)
 * saved through the contract's handler and through the CLI, then the suite run by the real `andon`
 * binary as a child process, which must replay each case with its task, start state and workspace
 * snapshot and pass or fail it by its `expect`. Hostile inputs: suite paths that escape the listed
 * folders, a symlink in the workspace, a running loop, a workspace over the size bound.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml, stringify } from 'yaml'
import { saveEvalCase } from '../../src/main/core/eval/save-case'
import { loadSpecFile } from '../../src/main/core/specs/load-spec'
import { contract } from '../../src/shared/contract'
import type { EvalSuiteInput } from '../../src/shared/eval'
import { andon as cli } from '../fixtures/bundles/cli'
import { examplesDir, SLOW_SPEC } from '../support/specs'
import { tempAndon, tempDir, until } from '../support/temp-andon'

let tmp: string
let specDir: string
let core: Awaited<ReturnType<typeof tempAndon>>

/** The stuck example (renamed, without its think time): escalates (looping) unless told the region. */
function writeStuckSpec(dir: string): void {
  const text = readFileSync(join(examplesDir, 'stuck-needs-a-hint.yaml'), 'utf8').replace('delayMs: 100', 'delayMs: 0').replace('name: stuck-needs-a-hint', 'name: stuck-copy')
  writeFileSync(join(dir, 'stuck.yaml'), text)
  cpSync(join(examplesDir, 'workspaces/stuck'), join(dir, 'workspaces/stuck'), { recursive: true })
}


beforeAll(async () => {
  tmp = tempDir('andon-save-case-')
  specDir = join(tmp, 'specs')
  mkdirSync(specDir, { recursive: true })
  writeStuckSpec(specDir)
  writeFileSync(join(specDir, 'slow.yaml'), stringify(SLOW_SPEC))
  core = await tempAndon({ dataDir: join(tmp, 'data'), specDirs: [specDir] })
})
afterAll(async () => {
  await core.cleanup()
  rmSync(tmp, { recursive: true, force: true })
})

const specId = async (name: string) => (await core.handlers.listSpecs({})).find((s) => s.name === name)!.id
const settledStatus = (loopId: string, status: string) => until(() => core.supervisor.liveState(loopId).status === status, 30_000, `${loopId} ${status}`)
const parse = <K extends keyof typeof contract>(name: K, input: unknown) => contract[name].input.parse(input) as never

describe('a run saved as an eval case', { timeout: 120_000 }, () => {
  let escalated: string
  let hinted: string
  let suitePath: string

  it('saves an escalated run into a new suite in the data dir: task, expected outcome, provenance, and the folder it started from', async () => {
    escalated = (await core.handlers.launchLoop(parse('launchLoop', { specId: await specId('stuck-copy') }))).loopId
    await settledStatus(escalated, 'escalated')
    const saved = await core.handlers.saveEvalCase(parse('saveEvalCase', { loopId: escalated, suite: { newName: 'stuck' }, label: 'must ask for the region' }))
    suitePath = saved.suitePath
    expect(suitePath).toBe(join(core.dataDir, 'suites', 'stuck.eval.yaml'))
    expect(saved).toMatchObject({ created: true, version: 1, expect: 'escalated', caseName: `stuck-copy ${escalated}`, spec: '../../specs/stuck.yaml' })
    expect(saved.workspace).toMatchObject({ source: 'start', files: 2, skipped: [] })
    expect(readFileSync(join(saved.workspace.path, 'config.json'), 'utf8')).toContain('mars-1')

    const suite = parseYaml(readFileSync(suitePath, 'utf8')) as EvalSuiteInput
    expect(suite).toMatchObject({ name: 'stuck', version: 1, spec: '../../specs/stuck.yaml' })
    expect(suite.cases[0]).toMatchObject({
      task: 'Make `node verify.js` pass by fixing config.json.',
      workspace: `cases/stuck-copy-${escalated.toLowerCase()}/workspace`,
      expect: { outcome: 'escalated' },
      label: 'must ask for the region',
      from: { loopId: escalated, by: 'operator' }
    })
    expect(suite.cases[0]).not.toHaveProperty('facts')
    // The suite is listed, so the control room can save into it and run it.
    expect((await core.handlers.listEvalSuites({})).find((s) => s.path === suitePath)).toMatchObject({ name: 'stuck', version: 1, cases: 1, error: null })
  })

  it("saves a fork's start state (the operator's fact) and the files it started from, not the files it ended with; the version is bumped and comments kept", async () => {
    writeFileSync(suitePath, `# cases saved from the control room\n${readFileSync(suitePath, 'utf8')}`)
    hinted = (await core.handlers.forkLoop(parse('forkLoop', { loopId: escalated, atVersion: 1, patch: { ops: [{ op: 'addFact', fact: 'region is eu-west-1' }] } }))).loopId
    await settledStatus(hinted, 'terminated')
    expect(core.supervisor.liveState(hinted).termination?.reason).toBe('SUCCESS')
    // The run fixed config.json in its own folder; the case must start from the unfixed one.
    expect(readFileSync(join(core.supervisor.liveState(hinted).workspace!, 'config.json'), 'utf8')).toContain('eu-west-1')

    const saved = await core.handlers.saveEvalCase(parse('saveEvalCase', { loopId: hinted, suite: { id: suitePath }, name: 'hinted', correction: 'the region is eu-west-1' }))
    expect(saved).toMatchObject({ created: false, version: 2, caseName: 'hinted', expect: 'SUCCESS' })
    expect(readFileSync(join(saved.workspace.path, 'config.json'), 'utf8')).toContain('mars-1')
    const text = readFileSync(suitePath, 'utf8')
    expect(text.startsWith('# cases saved from the control room\n')).toBe(true)
    const suite = parseYaml(text) as EvalSuiteInput
    expect(suite.version).toBe(2)
    expect(suite.cases[1]).toMatchObject({ name: 'hinted', facts: ['region is eu-west-1'], correction: 'the region is eu-west-1', expect: { outcome: 'SUCCESS' } })

    // A name the suite already has is refused, and nothing changes.
    await expect(core.handlers.saveEvalCase(parse('saveEvalCase', { loopId: hinted, suite: { id: suitePath }, name: 'hinted' }))).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('already has a case named "hinted"')
    })
    expect(readFileSync(suitePath, 'utf8')).toBe(text)
  })

  it('andon eval save (the CLI) adds the operator\'s correction "this should have succeeded" as a case expecting SUCCESS', async () => {
    const bad = await cli(['eval', 'save', escalated, '--suite', suitePath, '--autonomy', 'yolo', '--data-dir', core.dataDir])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--autonomy must be one of suggest-only, approve-every-action, approve-risky, autonomous, not yolo')
    const r = await cli(['eval', 'save', escalated, '--suite', suitePath, '--name', 'should succeed', '--expect', 'SUCCESS', '--label', 'no hint needed', '--data-dir', core.dataDir])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`saved case "should succeed" (expects SUCCESS, replays under autonomous) to ${suitePath}, suite version 3`)
    const suite = parseYaml(readFileSync(suitePath, 'utf8')) as EvalSuiteInput
    expect(suite.cases.map((c) => [c.name, c.expect?.outcome, c.from?.by])).toEqual([
      [`stuck-copy ${escalated}`, 'escalated', 'operator'],
      ['hinted', 'SUCCESS', 'operator'],
      ['should succeed', 'SUCCESS', 'andon eval save']
    ])
  })

  it('andon eval replays each case from its snapshot and start state, and passes or fails it by its expect', async () => {
    // Change the template so that, without the snapshot, the unhinted run would converge instead of escalating.
    writeFileSync(join(specDir, 'workspaces/stuck/config.json'), '{ "retries": 0, "region": "us-east-1" }')
    try {
      const r = await cli(['eval', suitePath, '--data-dir', join(tmp, 'eval-data')])
      // An escalated run is closed afterwards (STALLED here): it passes because it stopped for an operator, as expected.
      expect(r.stdout).toMatch(new RegExp(`^ok {4}stuck-copy ${escalated}: STALLED \\(expected escalated\\) after \\d+ iteration.* stopped for an operator`, 'm'))
      expect(r.stdout).toMatch(/^ok {4}hinted: SUCCESS after \d+ iteration/m)
      // "It should have succeeded": it still escalates, so this case fails and the suite misses its threshold.
      expect(r.stdout).toMatch(/^FAIL {2}should succeed: STALLED after \d+ iteration\(s\), \$0\.0000 — stopped for an operator: no-looping/m)
      expect(r.stdout).toMatch(/^suite: stuck \(version 3\)$/m)
      expect(r.code, r.stderr).toBe(1)
    } finally {
      writeFileSync(join(specDir, 'workspaces/stuck/config.json'), '{ "retries": 0, "region": "mars-1" }\n')
    }
  })
})

describe('hostile or impossible saves are refused and write nothing', { timeout: 60_000 }, () => {
  let done: string
  beforeAll(async () => {
    done = (await core.handlers.launchLoop(parse('launchLoop', { specId: await specId('stuck-copy') }))).loopId
    await settledStatus(done, 'escalated')
  })
  const suitesDir = () => join(core.dataDir, 'suites')
  const listing = () => (existsSync(suitesDir()) ? readdirSync(suitesDir(), { recursive: true }).sort() : [])

  it('a suite name that is a path, or a suite id that is not listed', async () => {
    for (const newName of ['../x', '../../escaped', '/tmp/absolute', 'a/b', '.hidden', '']) {
      expect(contract.saveEvalCase.input.safeParse({ loopId: done, suite: { newName } }).success, newName).toBe(false)
    }
    const before = listing()
    // Past the contract's schema too (a shell that forgot to parse): the core refuses the same names.
    for (const newName of ['../x', '/tmp/absolute-suite']) {
      await expect(core.handlers.saveEvalCase({ loopId: done, suite: { newName } })).rejects.toThrow(/not a suite name/)
    }
    for (const id of [join(tmp, 'outside.yaml'), join(specDir, '../outside.yaml'), '/etc/passwd', join(specDir, 'stuck.yaml')]) {
      await expect(core.handlers.saveEvalCase(parse('saveEvalCase', { loopId: done, suite: { id } }))).rejects.toMatchObject({ status: 404 })
    }
    expect(existsSync(join(core.dataDir, 'x'))).toBe(false)
    expect(existsSync(join(tmp, 'outside.yaml'))).toBe(false)
    expect(existsSync('/tmp/absolute-suite')).toBe(false)
    expect(listing()).toEqual(before)
  })

  it('a symlink in the workspace is left out and named, never followed', async () => {
    const secret = join(tmp, 'secret.txt')
    writeFileSync(secret, 'TOP SECRET')
    const dir = join(tmp, 'linked-specs')
    mkdirSync(join(dir, 'ws/sub'), { recursive: true })
    writeFileSync(join(dir, 'ws/verify.js'), 'process.exit(0)\n')
    symlinkSync(secret, join(dir, 'ws/secret.txt'))
    symlinkSync(tmp, join(dir, 'ws/sub/everything'))
    writeFileSync(join(dir, 'linked.yaml'), stringify({ ...SLOW_SPEC, name: 'linked', workspace: 'ws', policy: { kind: 'rules', rules: [{ name: 'v', when: {}, then: { tool: 'verify' } }] }, termination: { successTool: 'verify', verifyCommand: 'node verify.js' } }))
    const loopId = await core.supervisor.launch(await loadSpecFile(join(dir, 'linked.yaml')), { specPath: join(dir, 'linked.yaml') })
    await settledStatus(loopId, 'terminated')
    const saved = await core.handlers.saveEvalCase(parse('saveEvalCase', { loopId, suite: { newName: 'linked' } }))
    expect(saved.workspace.skipped.sort()).toEqual(['secret.txt (symbolic link)', 'sub/everything (symbolic link)'])
    expect(readdirSync(saved.workspace.path, { recursive: true }).sort()).toEqual(['sub', 'verify.js'])
  })

  it('a running loop is refused, clearly', async () => {
    const loopId = (await core.handlers.launchLoop(parse('launchLoop', { specId: await specId('slow') }))).loopId
    await until(() => core.supervisor.liveState(loopId).iteration >= 1, 15_000, 'first iteration')
    const before = listing()
    try {
      await expect(core.handlers.saveEvalCase(parse('saveEvalCase', { loopId, suite: { newName: 'running' } }))).rejects.toMatchObject({
        status: 409,
        message: `loop ${loopId} is running: only a terminated or escalated run can be saved as an eval case (let it stop, or cancel it, first)`
      })
      const r = await cli(['eval', 'save', loopId, '--suite', join(tmp, 'cli-running.yaml'), '--data-dir', core.dataDir])
      expect(r.code).toBe(3)
      expect(r.stderr).toContain(`loop ${loopId} is running`)
      expect(existsSync(join(tmp, 'cli-running.yaml'))).toBe(false)
      expect(listing()).toEqual(before)
    } finally {
      await core.supervisor.cancel(loopId, { by: 'test' })
    }
  })

  it('a workspace over the size bound: a clear error, no suite and no case folder left behind', async () => {
    const suitePath = join(tmp, 'bounded', 'bounded.eval.yaml')
    await expect(saveEvalCase(core.store, { loopId: done, suitePath, by: 'test', limits: { files: 1, bytes: 1e6, depth: 8 } })).rejects.toThrow(
      /the workspace .*stuck is too large for an eval case: more than 1 files \(at most 1 files and 0\.95\d* MB\)/
    )
    expect(existsSync(suitePath)).toBe(false)
    expect(readdirSync(join(tmp, 'bounded', 'cases'))).toEqual([])
  })
})
