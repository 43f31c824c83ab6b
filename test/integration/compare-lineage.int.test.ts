/**
 * Compare aligned by lineage on the real core: a fork shares its parent's iterations up to the
 * fork point, so the comparison says where it was forked and finds the first divergence after it,
 * naming the argument that differs.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Andon } from '../../src/main/core/andon'
import { READER_SPEC, spec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

const reader = spec(READER_SPEC)

let andon: (Andon & { cleanup(): Promise<void> }) | null = null
afterEach(async () => {
  await andon?.cleanup()
  andon = null
})

/** The version just before iteration `n` starts: its previous iteration is over. */
function before(core: Andon, loopId: string, n: number): number {
  return core.store.iterationRows(loopId).find((r) => r.iteration === n)!.firstVersion - 1
}

async function forkAndRun(core: Andon, loopId: string, atVersion: number, facts: string[] = []): Promise<string> {
  const patch = facts.length ? { ops: facts.map((fact) => ({ op: 'addFact' as const, fact })) } : undefined
  const { loopId: fork } = await core.handlers.forkLoop({ loopId, atVersion, patch, start: true })
  await core.supervisor.settled(fork)
  return fork
}

describe('compare by lineage', () => {
  it('a fork and its parent: forked at iteration 2, shared iterations kept, divergence named by argument', async () => {
    andon = await tempAndon()
    const parent = await andon.supervisor.launch(reader)
    await andon.supervisor.settled(parent)
    const fork = await forkAndRun(andon, parent, before(andon, parent, 3), ['use b'])
    expect(andon.supervisor.liveState(fork).iteration).toBe(4)

    const c = await andon.handlers.compareLoops({ a: fork, b: parent })
    expect(c.forkedAt).toEqual({ loopId: parent, iteration: 2 })
    expect(c.rows.map((r) => [r.iteration, r.inherited, r.same])).toEqual([
      [1, true, true],
      [2, true, true],
      [3, false, true],
      [4, false, false]
    ])
    // The inherited iterations show what the parent did, on both sides.
    expect(c.rows[1].a?.action).toEqual({ tool: 'read_file', args: { path: 'a.txt' } })
    expect(c.divergedAt).toBe(4)
    expect(c.divergence).toBe('iteration 4: read_file args.path: b.txt vs a.txt')

    // Either way round.
    const back = await andon.handlers.compareLoops({ a: parent, b: fork })
    expect(back.forkedAt).toEqual({ loopId: parent, iteration: 2 })
    expect(back.divergence).toBe('iteration 4: read_file args.path: a.txt vs b.txt')
  })

  it('a fork of a fork lines up with its grandparent and with its sibling', async () => {
    andon = await tempAndon()
    const root = await andon.supervisor.launch(reader)
    await andon.supervisor.settled(root)
    const child = await forkAndRun(andon, root, before(andon, root, 3), ['use b'])
    // Forked from the child after its own iteration 3: it keeps the fact and reads b.txt too.
    const grandchild = await forkAndRun(andon, child, before(andon, child, 4))
    const sibling = await forkAndRun(andon, root, before(andon, root, 2))

    const withRoot = await andon.handlers.compareLoops({ a: grandchild, b: root })
    expect(withRoot.forkedAt).toEqual({ loopId: root, iteration: 2 })
    expect(withRoot.divergence).toBe('iteration 4: read_file args.path: b.txt vs a.txt')

    const withChild = await andon.handlers.compareLoops({ a: grandchild, b: child })
    expect(withChild.forkedAt).toEqual({ loopId: child, iteration: 3 })
    expect(withChild.rows.filter((r) => r.inherited).map((r) => r.iteration)).toEqual([1, 2, 3])
    expect(withChild.divergedAt).toBeNull()
    expect(withChild.divergence).toBeNull()

    // Two forks of one loop share its iterations up to the earlier fork point.
    const siblings = await andon.handlers.compareLoops({ a: child, b: sibling })
    expect(siblings.forkedAt).toEqual({ loopId: root, iteration: 1 })
    expect(siblings.divergence).toBe('iteration 4: read_file args.path: b.txt vs a.txt')
  })

  it('a fork made in the middle of an iteration shares that iteration as it stood at the fork point', async () => {
    andon = await tempAndon()
    const parent = await andon.supervisor.launch(reader)
    await andon.supervisor.settled(parent)
    const row2 = andon.store.iterationRows(parent).find((r) => r.iteration === 2)!
    const decided = andon.store.readStream(parent, { afterVersion: row2.firstVersion - 1, toVersion: row2.lastVersion }).find((e) => e.type === 'DecisionMade')!
    const fork = await forkAndRun(andon, parent, decided.version)

    const c = await andon.handlers.compareLoops({ a: parent, b: fork })
    expect(c.forkedAt).toEqual({ loopId: parent, iteration: 2 })
    const shared = c.rows.find((r) => r.iteration === 2)!
    expect(shared.inherited).toBe(true)
    // The parent went on to read the file; at the fork point the call was only decided.
    expect(shared.a).toMatchObject({ action: { tool: 'read_file' }, ok: false })
    expect(shared.b).toMatchObject({ action: { tool: 'read_file' }, ok: null })
    // The fork's last observation is still the check of iteration 1, so it reads the file next.
    expect(c.divergence).toBe('iteration 3: verify (failed) vs read_file (failed)')
  })
})
