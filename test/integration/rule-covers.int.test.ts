/**
 * What the inbox asks the core before it adds a rule or shows a promotion: whether a pattern covers
 * the call it decides (by the gate's own matcher, in the loop's workspace), and whether the loop
 * descends from an import (where the core gives it no spec-scoped allow rule).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { exportBundleBytes } from '../../src/main/core/bundles/export'
import { contract, ForkConfirmation } from '../../src/shared/contract'
import { spec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

async function core() {
  const andon = await tempAndon()
  cleanups.push(andon.cleanup)
  return andon
}

const lister = (name = 'lister') =>
  spec({ name, autonomy: 'approve-every-action', policy: { kind: 'rules', rules: [{ name: 'go', when: { start: true }, then: { tool: 'run_command', args: { command: 'ls src' } } }] } })

describe('ruleCoversCall', () => {
  it('answers as the gate matches: the tool, the argument, a simple command only for an allow, paths in the workspace', async () => {
    const andon = await core()
    const loopId = await andon.supervisor.launch(lister(), { start: false })
    const covers = async (effect: 'allow' | 'deny', pattern: string, tool: string, args: Record<string, unknown>) =>
      (await andon.handlers.ruleCoversCall({ loopId, effect, pattern, action: { tool, args } })).covers
    expect(await covers('allow', 'run_command(ls src)', 'run_command', { command: 'ls src' })).toBe(true)
    expect(await covers('allow', 'run_command(ls src)', 'run_command', { command: 'rm -rf build' })).toBe(false)
    expect(await covers('allow', 'run_command(ls:*)', 'run_command', { command: 'ls src; rm -rf build' })).toBe(false)
    expect(await covers('deny', 'run_command(rm:*)', 'run_command', { command: 'ls src; rm -rf build' })).toBe(true)
    expect(await covers('allow', 'read_file(src/**)', 'read_file', { path: 'src/a.txt' })).toBe(true)
    expect(await covers('allow', 'read_file(src/**)', 'read_file', { path: 'src/../../etc/passwd' })).toBe(false)
    expect(await covers('allow', 'read_file(src/a.txt)', 'write_file', { path: 'src/a.txt' })).toBe(false)
  })

  it('refuses a pattern that does not parse, with the parser’s reason, as adding the rule would', () => {
    const parsed = contract.ruleCoversCall.input.safeParse({ loopId: 'x', effect: 'allow', pattern: 'read_file(src', action: { tool: 'read_file', args: {} } })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0].message).toContain('an argument pattern ends with ")"')
  })
})

describe('getLoop importedLineage', () => {
  it('is false for a loop made here and true for an imported loop, its fork and the fork of that fork', async () => {
    const author = await tempAndon()
    const source = await author.supervisor.launch(lister(), { start: false })
    const { bytes } = exportBundleBytes(author.store, { loopIds: [source], appVersion: 'test' })
    await author.cleanup()
    const andon = await core()
    const own = await andon.supervisor.launch(lister(), { start: false })
    const {
      loopIds: [imported]
    } = await andon.handlers.importBundle({ bytesBase64: Buffer.from(bytes).toString('base64') })
    const { loopId: fork } = await andon.handlers.forkLoop({ loopId: imported, atVersion: 1, start: false, confirmImported: ForkConfirmation.parse({}) })
    const { loopId: forkOfFork } = await andon.handlers.forkLoop({ loopId: fork, atVersion: 1, start: false })
    const { loopId: ownFork } = await andon.handlers.forkLoop({ loopId: own, atVersion: 1, start: false })
    const lineage = async (loopId: string) => (await andon.handlers.getLoop({ loopId })).importedLineage
    expect([await lineage(own), await lineage(ownFork)]).toEqual([false, false])
    expect([await lineage(imported), await lineage(fork), await lineage(forkOfFork)]).toEqual([true, true, true])
  })
})
