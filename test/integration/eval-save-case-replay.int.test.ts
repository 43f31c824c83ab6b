/**
 * What a saved case replays, and which runs may be saved: real loops (rules policy, temp data
 * dir) saved through the contract's handler, the case then run in process by the suite runner.
 * A case must replay the spec and autonomy the run had (or refuse, or say it will not); an
 * imported loop's folders are never copied; a symlinked template is the folder the run started
 * from; a cancelled run never becomes a case expecting CANCELLED; a suite built for another
 * spec, or a new suite named like an existing one, is not written to silently.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml, stringify } from 'yaml'
import { exportBundleBytes } from '../../src/main/core/bundles/export'
import { runSuite } from '../../src/main/core/eval/run-suite'
import { loadSuite } from '../../src/main/core/eval/suite'
import { loadTarget } from '../../src/main/core/eval/targets'
import { contract, ForkConfirmation } from '../../src/shared/contract'
import type { EvalSuiteInput } from '../../src/shared/eval'
import { andon as cli } from '../fixtures/bundles/cli'
import { SLOW_SPEC, spec } from '../support/specs'
import { tempAndon, tempDir, until } from '../support/temp-andon'

let tmp: string
let specDir: string
let core: Awaited<ReturnType<typeof tempAndon>>

/** Writes "done" into note.txt (the template holds "start"), then verifies it: SUCCESS in two calls. */
const WRITER = {
  name: 'writer',
  task: 'write done into note.txt',
  autonomy: 'autonomous',
  workspace: 'ws',
  policy: {
    kind: 'rules',
    rules: [
      { name: 'write', when: { start: true }, then: { tool: 'write_file', args: { path: 'note.txt', content: 'done\n' } } },
      { name: 'check', when: {}, then: { tool: 'verify' } }
    ]
  },
  tools: [{ name: 'write_file' }, { name: 'verify' }],
  termination: { successTool: 'verify', verifyCommand: 'grep -q done note.txt' }
}


beforeAll(async () => {
  tmp = tempDir('andon-save-replay-')
  specDir = join(tmp, 'specs')
  mkdirSync(join(specDir, 'ws'), { recursive: true })
  writeFileSync(join(specDir, 'ws/note.txt'), 'start\n')
  writeFileSync(join(specDir, 'writer.yaml'), stringify(WRITER))
  writeFileSync(join(specDir, 'slow.yaml'), stringify(SLOW_SPEC))
  // The same writer whose template is a link to a folder elsewhere.
  mkdirSync(join(tmp, 'real-ws'))
  writeFileSync(join(tmp, 'real-ws/note.txt'), 'start\n')
  symlinkSync(join(tmp, 'real-ws'), join(specDir, 'ws-link'))
  writeFileSync(join(specDir, 'linked-writer.yaml'), stringify({ ...WRITER, name: 'linked-writer', workspace: 'ws-link' }))
  core = await tempAndon({ dataDir: join(tmp, 'data'), specDirs: [specDir] })
})
afterAll(async () => {
  await core.cleanup()
  rmSync(tmp, { recursive: true, force: true })
})

const parse = <K extends keyof typeof contract>(name: K, input: unknown) => contract[name].input.parse(input) as never
const specId = async (name: string) => (await core.handlers.listSpecs({})).find((s) => s.name === name)!.id
const launch = async (input: object) => (await core.handlers.launchLoop(parse('launchLoop', input))).loopId
const settled = (loopId: string, status: string) => until(() => core.supervisor.liveState(loopId).status === status, 30_000, `${loopId} ${status}`)
const save = (input: object) => core.handlers.saveEvalCase(parse('saveEvalCase', input))
const suiteFile = (path: string) => parseYaml(readFileSync(path, 'utf8')) as EvalSuiteInput
const suitesListing = () => (existsSync(join(core.dataDir, 'suites')) ? readdirSync(join(core.dataDir, 'suites'), { recursive: true }).sort() : [])

const approved = new Set<string>()
/** Approves the next call that waits, whatever it is. */
async function approveNext(loopId: string): Promise<void> {
  const waiting = () => {
    const s = core.supervisor.liveState(loopId)
    return s.status === 'awaiting-approval' && s.pendingCall && !approved.has(s.pendingCall.callId) ? s.pendingCall.callId : null
  }
  const callId = (await until(waiting, 15_000, `${loopId} waiting call`))!
  approved.add(callId)
  await core.handlers.decideApproval(parse('decideApproval', { loopId, callId, decision: 'approve' }))
}

/** The suite's cases replayed under the suite's spec, in process, as `andon eval SUITE` does. */
async function replay(suitePath: string): Promise<string[]> {
  const suite = await loadSuite(suitePath)
  const target = await loadTarget(core, suite.specPath!)
  const { results } = await runSuite(core, { ...suite, timeoutSeconds: 20 }, target)
  return results.map((r) => `${r.name}: ${r.outcome}`)
}

describe('the spec and autonomy a saved case replays', { timeout: 120_000 }, () => {
  it('a run under an autonomy set at launch is replayed under the autonomy it ended with, or the one the operator picks', async () => {
    const loopId = await launch({ specId: await specId('writer'), overrides: { autonomy: 'approve-every-action' } })
    await approveNext(loopId)
    await approveNext(loopId)
    await settled(loopId, 'terminated')
    expect(core.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')

    const asRan = await save({ loopId, suite: { newName: 'writer-autonomy' }, name: 'as it ran' })
    expect(asRan.autonomy).toBe('approve-every-action')
    expect(suiteFile(asRan.suitePath).cases[0]).toMatchObject({ name: 'as it ran', autonomy: 'approve-every-action' })
    const picked = await save({ loopId, suite: { id: asRan.suitePath }, name: 'autonomous', autonomy: 'autonomous' })
    expect(picked.autonomy).toBe('autonomous')
    // The spec file's own autonomy: nothing to record.
    expect(suiteFile(asRan.suitePath).cases[1]).not.toHaveProperty('autonomy')
    // An eval has no operator: the replay under approve-every-action stops at its first call.
    expect(await replay(asRan.suitePath)).toEqual(['as it ran: escalated', 'autonomous: SUCCESS'])
  })

  it('a mode changed while the run waited is the one recorded: the autonomy the run ended with', async () => {
    const loopId = await launch({ specId: await specId('writer'), overrides: { autonomy: 'approve-every-action' } })
    await until(() => core.supervisor.liveState(loopId).status === 'awaiting-approval', 15_000, 'first call waits')
    await core.handlers.patchState(parse('patchState', { loopId, patch: { ops: [{ op: 'setAutonomy', mode: 'approve-risky' }] } }))
    await approveNext(loopId)
    await settled(loopId, 'terminated')
    const saved = await save({ loopId, suite: { newName: 'writer-mid-run' } })
    expect(saved.autonomy).toBe('approve-risky')
    expect(suiteFile(saved.suitePath).cases[0]).toMatchObject({ autonomy: 'approve-risky' })
  })

  it('a run whose spec was edited at launch (the file kept) is refused, naming what differs, unless the operator accepts the spec file as it is', async () => {
    const edited = stringify({ ...WRITER, termination: { successTool: 'verify', verifyCommand: 'grep -q do note.txt' } })
    const loopId = await launch({ specId: await specId('writer'), specText: edited })
    await settled(loopId, 'terminated')
    const before = suitesListing()
    await expect(save({ loopId, suite: { newName: 'writer-edited' } })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/ran a spec that differs from its spec file .*writer\.yaml.* \(termination\).*acceptOtherSpec/)
    })
    expect(suitesListing()).toEqual(before)
    const saved = await save({ loopId, suite: { newName: 'writer-edited' }, acceptOtherSpec: true })
    expect(saved).toMatchObject({ created: true, spec: expect.stringMatching(/writer\.yaml$/) })
    // The CLI the same way.
    const cliSuite = join(tmp, 'cli-edited.eval.yaml')
    const refused = await cli(['eval', 'save', loopId, '--suite', cliSuite, '--data-dir', core.dataDir])
    expect(refused.code).toBe(3)
    expect(refused.stderr).toContain('(termination)')
    expect(existsSync(cliSuite)).toBe(false)
    const accepted = await cli(['eval', 'save', loopId, '--suite', cliSuite, '--accept-other-spec', '--autonomy', 'approve-risky', '--data-dir', core.dataDir])
    expect(accepted.code, accepted.stderr).toBe(0)
    expect(suiteFile(cliSuite).cases[0]).toMatchObject({ autonomy: 'approve-risky', from: { by: 'andon eval save' } })
  })
})

describe('runs that are refused, or need the operator to say more', { timeout: 120_000 }, () => {
  it('a loop imported from a bundle is refused (its folders are the bundle\'s choice), and nothing is copied; a fork of it can be saved', async () => {
    const privateDir = join(tmp, 'private')
    mkdirSync(privateDir)
    writeFileSync(join(privateDir, 'id_rsa'), 'PRIVATE KEY')
    const author = await tempAndon()
    const done = spec({
      name: 'innocent-looking',
      autonomy: 'autonomous',
      workspace: privateDir,
      policy: { kind: 'rules', rules: [{ name: 'v', when: {}, then: { tool: 'verify' } }] },
      tools: [{ name: 'verify' }],
      termination: { successTool: 'verify', verifyCommand: 'true' }
    })
    const source = await author.supervisor.launch(done, {})
    await until(() => author.supervisor.liveState(source).status === 'terminated', 15_000, 'author run')
    const { bytes } = exportBundleBytes(author.store, { loopIds: [source], appVersion: 'test' })
    await author.cleanup()
    const [imported] = (await core.handlers.importBundle({ bytesBase64: Buffer.from(bytes).toString('base64') })).loopIds
    expect(core.supervisor.liveState(imported)).toMatchObject({ status: 'terminated', readOnly: true })

    const before = suitesListing()
    await expect(save({ loopId: imported, suite: { newName: 'imported' }, acceptOtherSpec: true })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/imported from a bundle.*fork it/i)
    })
    expect(suitesListing()).toEqual(before)

    const { loopId: fork } = await core.handlers.forkLoop(parse('forkLoop', { loopId: imported, atVersion: 1, confirmImported: ForkConfirmation.parse({ autonomy: 'autonomous' }) }))
    await settled(fork, 'terminated')
    // The fork has no spec file here (the bundle's path is not one): saved only when the operator accepts that.
    await expect(save({ loopId: fork, suite: { newName: 'imported-fork' } })).rejects.toMatchObject({ status: 409, message: expect.stringContaining('no spec file') })
    const saved = await save({ loopId: fork, suite: { newName: 'imported-fork' }, acceptOtherSpec: true })
    expect(saved.spec).toBeNull()
    expect(readdirSync(saved.workspace.path)).toEqual([])
  })

  it('a template that is a symbolic link to a folder is the folder the run started from, not the files it ended with', async () => {
    const loopId = await launch({ specId: await specId('linked-writer') })
    await settled(loopId, 'terminated')
    expect(core.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
    const saved = await save({ loopId, suite: { newName: 'linked-writer' } })
    expect(saved.workspace).toMatchObject({ source: 'start', files: 1, skipped: [] })
    expect(readFileSync(join(saved.workspace.path, 'note.txt'), 'utf8')).toBe('start\n')
  })

  it('a template replaced by a link after the run is still the folder it started from', async () => {
    const loopId = await launch({ specId: await specId('writer') })
    await settled(loopId, 'terminated')
    renameSync(join(specDir, 'ws'), join(tmp, 'moved-ws'))
    symlinkSync(join(tmp, 'moved-ws'), join(specDir, 'ws'))
    try {
      const saved = await save({ loopId, suite: { newName: 'writer-moved' } })
      expect(saved.workspace.source).toBe('start')
      expect(readFileSync(join(saved.workspace.path, 'note.txt'), 'utf8')).toBe('start\n')
    } finally {
      rmSync(join(specDir, 'ws'))
      renameSync(join(tmp, 'moved-ws'), join(specDir, 'ws'))
    }
  })

  it('a cancelled run: the operator must say what it should have done; CANCELLED is never the expectation', async () => {
    const loopId = await launch({ specId: await specId('slow') })
    await until(() => core.supervisor.liveState(loopId).iteration >= 1, 15_000, 'first iteration')
    await core.supervisor.cancel(loopId, { by: 'test' })
    expect(core.supervisor.liveState(loopId).termination?.reason).toBe('CANCELLED')
    const before = suitesListing()
    await expect(save({ loopId, suite: { newName: 'slow' } })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/was cancelled.*say which outcome/) })
    expect(contract.saveEvalCase.input.safeParse({ loopId, suite: { newName: 'slow' }, expect: 'CANCELLED' }).success).toBe(false)
    // Past the schema too: the core refuses it.
    await expect(core.handlers.saveEvalCase({ loopId, suite: { newName: 'slow' }, expect: 'CANCELLED' as 'SUCCESS' })).rejects.toMatchObject({ status: 400 })
    expect(suitesListing()).toEqual(before)
    const saved = await save({ loopId, suite: { newName: 'slow' }, expect: 'SUCCESS' })
    expect(saved.expect).toBe('SUCCESS')
  })

  it("a suite built for another spec is refused unless the operator accepts it; a new suite's name that exists is refused", async () => {
    const writerRun = await launch({ specId: await specId('writer') })
    await settled(writerRun, 'terminated')
    const first = await save({ loopId: writerRun, suite: { newName: 'writer-only' } })
    const text = readFileSync(first.suitePath, 'utf8')
    expect((await core.handlers.listEvalSuites({})).find((s) => s.id === first.suiteId)).toMatchObject({ specName: 'writer', specPath: join(specDir, 'writer.yaml') })

    await expect(save({ loopId: writerRun, suite: { newName: 'writer-only' } })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('a suite named writer-only exists')
    })
    const slowRun = await launch({ specId: await specId('slow') })
    await until(() => core.supervisor.liveState(slowRun).iteration >= 1, 15_000, 'first iteration')
    await core.supervisor.cancel(slowRun, { by: 'test' })
    await expect(save({ loopId: slowRun, suite: { id: first.suiteId }, expect: 'SUCCESS' })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/suite writer-only is for spec "writer".*loop .* ran "slow".*acceptOtherSpec/)
    })
    expect(readFileSync(first.suitePath, 'utf8')).toBe(text)
    const saved = await save({ loopId: slowRun, suite: { id: first.suiteId }, expect: 'SUCCESS', acceptOtherSpec: true })
    expect(saved).toMatchObject({ version: 2, spec: first.spec })
  })
})
