/**
 * A bundle written by an earlier build, committed as a file: it must keep importing and
 * replaying. If this fails after a schema change, bump the bundle format version and keep
 * reading version 1, or regenerate the fixture on purpose.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { validateBundle, importBundle } from '../../src/main/core/bundles/import'
import { loopTrace } from '../../src/main/core/otel'
import { examplesDir, runToEnd, tempAndon, type TempAndon } from '../fixtures/bundles/andon'
import { otlpProblems } from '../fixtures/bundles/otlp-proto'

const golden = readFileSync(join(__dirname, '../fixtures/bundles/fix-the-tests.andon'))
const cores: TempAndon[] = []
afterEach(async () => {
  while (cores.length) await cores.pop()!.cleanup()
})

describe('golden bundle (fix-the-tests, format 1)', () => {
  it('still validates', () => {
    const { manifest, loops } = validateBundle(golden)
    expect(manifest.formatVersion).toBe(1)
    expect(loops[0].state.termination?.reason).toBe('SUCCESS')
    expect(loops[0].state.iteration).toBe(5)
  })

  it('imports, replays to SUCCESS without tokens, and exports as valid OTLP', async () => {
    const c = await tempAndon()
    cores.push(c)
    const { loopIds } = await importBundle(c.andon.store, golden)
    const example = parse(readFileSync(join(examplesDir, 'fix-the-tests.yaml'), 'utf8'))
    const replay = await runToEnd(
      c.andon,
      stringify({ ...example, name: 'golden-replay', workspace: join(examplesDir, 'workspaces/fix-the-tests'), policy: { kind: 'replay', sourceLoopId: loopIds[0] } })
    )
    const s = c.andon.supervisor.liveState(replay)
    expect(s.termination?.reason).toBe('SUCCESS')
    expect(s.usage.inputTokens).toBe(0)
    expect((await c.andon.handlers.compareLoops({ a: loopIds[0], b: replay })).divergedAt).toBeNull()
    expect(otlpProblems(loopTrace(c.andon.store, loopIds[0], { serviceVersion: '0.1.0' }))).toEqual([])
  })
})
