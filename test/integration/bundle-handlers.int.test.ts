import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { examplesDir, runToEnd, tempAndon, type TempAndon } from '../fixtures/bundles/andon'
import { contract } from '../../src/shared/contract'

const cores: TempAndon[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()!.cleanup()
})
async function core(): Promise<TempAndon> {
  const c = await tempAndon()
  cores.push(c)
  return c
}

const example = parse(readFileSync(join(examplesDir, 'fix-the-tests.yaml'), 'utf8'))
const specText = stringify({ ...example, workspace: join(examplesDir, 'workspaces', 'fix-the-tests'), policy: { ...example.policy, delayMs: 0 } })

describe('bundle commands through the contract handlers', () => {
  it('exports, imports read-only, forks to run, and compares two runs', async () => {
    const a = await core()
    const loopId = await runToEnd(a.andon, specText)
    const exported = await a.andon.handlers.exportBundle(contract.exportBundle.input.parse({ loopIds: [loopId] }))
    expect(exported.fileName).toBe(`fix-the-tests-${loopId}.andon`)
    expect(exported.manifest.loops[0].eventCount).toBe(a.andon.store.streamVersion(loopId))

    const b = await core()
    const imported = await b.andon.handlers.importBundle(contract.importBundle.input.parse({ bytesBase64: exported.bytesBase64 }))
    expect(imported.loopIds).toEqual([loopId])
    const [summary] = await b.andon.handlers.listLoops({})
    expect(summary).toMatchObject({ loopId, readOnly: true, terminationReason: 'SUCCESS' })
    await expect(b.andon.handlers.patchState({ loopId, patch: { ops: [{ op: 'addFact', fact: 'x' }] }, why: '' })).rejects.toThrow()

    const replay = await runToEnd(b.andon, stringify({ ...parse(specText), name: 'replay', policy: { kind: 'replay', sourceLoopId: loopId } }))
    const same = await b.andon.handlers.compareLoops({ a: loopId, b: replay })
    expect(same.divergedAt).toBeNull()
    expect(same.rows.map((r) => r.a?.action?.tool)).toEqual(['verify', 'replace_in_file', 'verify', 'replace_in_file', 'verify'])
    expect(same.b.inputTokens).toBe(0)

    // A loop from a bundle is forked once the operator has reviewed it and confirmed.
    await expect(b.andon.handlers.forkLoop({ loopId, atVersion: 2, start: false })).rejects.toMatchObject({ status: 409 })
    const confirmImported = { autonomy: 'approve-every-action' as const, keepSecrets: false, copyWorkspace: false, keepAllowRules: false }
    const { loopId: fork } = await b.andon.handlers.forkLoop({ loopId, atVersion: 2, start: false, confirmImported })
    expect(b.andon.store.loadState(fork).readOnly).toBe(false)
    const differ = await b.andon.handlers.compareLoops({ a: loopId, b: fork })
    expect(differ.divergedAt).toBe(1)
    expect(differ.divergence).toBe('iteration 1: verify (failed) vs nothing')
  })

  it('rejects a damaged bundle with a clear error', async () => {
    const c = await core()
    await expect(c.andon.handlers.importBundle({ bytesBase64: Buffer.from('not a zip').toString('base64') })).rejects.toThrow(
      /not a valid bundle file/
    )
    expect(await c.andon.handlers.listLoops({})).toEqual([])
  })
})
