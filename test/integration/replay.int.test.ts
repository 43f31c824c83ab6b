import { afterEach, describe, expect, it } from 'vitest'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { examplesDir, runToEnd, tempAndon, type TempAndon } from '../fixtures/bundles/andon'
import { exportBundleBytes } from '../../src/main/core/bundles/export'
import { importBundle } from '../../src/main/core/bundles/import'

const cores: TempAndon[] = []
const dirs: string[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()!.cleanup()
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true })
})

async function core(): Promise<TempAndon> {
  const c = await tempAndon()
  cores.push(c)
  return c
}

const exampleSpec = parse(readFileSync(join(examplesDir, 'fix-the-tests.yaml'), 'utf8'))
const templateDir = join(examplesDir, 'workspaces', 'fix-the-tests')

function recordedSpec(): string {
  return stringify({ ...exampleSpec, workspace: templateDir, policy: { ...exampleSpec.policy, delayMs: 0 } })
}

function replaySpec(sourceLoopId: string, workspace = templateDir): string {
  return stringify({ ...exampleSpec, name: 'replay', workspace, policy: { kind: 'replay', sourceLoopId } })
}

function actions(c: TempAndon, loopId: string): string[] {
  return c.andon.store.iterationRows(loopId).map((r) => `${r.iteration}:${r.action?.tool}`)
}

describe('replay through the real engine', () => {
  it('re-runs a recorded loop to the same result with the same actions and no tokens', async () => {
    const c = await core()
    const source = await runToEnd(c.andon, recordedSpec())
    expect(c.andon.supervisor.liveState(source).termination?.reason).toBe('SUCCESS')
    const replay = await runToEnd(c.andon, replaySpec(source))
    const s = c.andon.supervisor.liveState(replay)
    expect(s.termination?.reason).toBe('SUCCESS')
    expect(actions(c, replay)).toEqual(actions(c, source))
    expect(actions(c, replay)).toEqual(['1:verify', '2:replace_in_file', '3:verify', '4:replace_in_file', '5:verify'])
    expect(s.usage.inputTokens + s.usage.outputTokens).toBe(0)
  })

  it('replays a loop imported from a bundle', async () => {
    const a = await core()
    const source = await runToEnd(a.andon, recordedSpec())
    const { bytes } = exportBundleBytes(a.andon.store, { loopIds: [source], appVersion: '0.1.0' })
    const b = await core()
    const { loopIds } = await importBundle(b.andon.store, bytes)
    const replay = await runToEnd(b.andon, replaySpec(loopIds[0]))
    expect(b.andon.supervisor.liveState(replay).termination?.reason).toBe('SUCCESS')
    expect(actions(b, replay)).toEqual(actions(a, source))
  })

  it('stops at the iteration where the live loop diverges from the recording', async () => {
    const c = await core()
    const source = await runToEnd(c.andon, recordedSpec())
    // A workspace where add() is already fixed: the recorded "fix add" edit finds nothing to replace.
    const ws = mkdtempSync(join(tmpdir(), 'andon-ws-'))
    dirs.push(ws)
    cpSync(templateDir, ws, { recursive: true })
    const math = join(ws, 'math.js')
    writeFileSync(math, readFileSync(math, 'utf8').replace('a - b', 'a + b'))
    const replay = await runToEnd(c.andon, replaySpec(source, ws))
    const s = c.andon.supervisor.liveState(replay)
    expect(s.status).toBe('escalated')
    expect(s.escalation?.summary).toContain(
      'diverged at iteration 3: expected replace_in_file succeeded, got replace_in_file failed'
    )
  })
})
