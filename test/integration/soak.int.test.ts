import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { fold } from '../../src/shared/state'
import { spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** A loop that writes a file, then verifies, ITER times (idempotent tools only). */
const busyLoop = (name: string, iterations: number) =>
  spec({
    name,
    policy: {
      kind: 'rules',
      rules: [
        { name: 'write', when: { lastTool: 'verify' }, then: { tool: 'write_file', args: { path: 'n.txt', content: 'x' } } },
        { name: 'verify', when: {}, then: { tool: 'verify' } }
      ]
    },
    invariants: { maxIterations: iterations, sameActionLimit: 1000, progressEvery: 1000 },
    termination: { successTool: 'read_file', verifyCommand: 'test -f n.txt' }
  })

describe('load and faults', () => {
  it('20 concurrent loops: no event lost or duplicated, projections match a rebuild', async () => {
    const andon = await tempAndon()
    dirs.push(andon.dataDir)
    const ITER = 12
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => andon.supervisor.launch(busyLoop(`soak-${i}`, ITER))))
    await Promise.all(ids.map((id) => andon.supervisor.settled(id)))
    const loops = await andon.handlers.listLoops({})
    for (const id of ids) {
      const events = andon.store.readStream(id)
      expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1))
      const summary = loops.find((l) => l.loopId === id)!
      expect(summary).toMatchObject({ iteration: ITER, terminationReason: 'MAX_ITERATIONS' })
      // Each iteration the loop reports is in the log exactly once, with all of its steps.
      for (const type of ['IterationStarted', 'DecisionMade', 'ToolStarted', 'ToolFinished', 'Observed', 'InvariantChecked'] as const) {
        expect(events.filter((e) => e.type === type)).toHaveLength(ITER)
      }
      expect(fold(id, events)).toEqual(andon.store.loadState(id))
    }
    const seqs = andon.store.readAll(0, 1_000_000).map((e) => e.seq)
    expect(new Set(seqs).size).toBe(seqs.length)
    const rows = ids.map((id) => andon.store.iterationRows(id))
    andon.store.rebuildProjections()
    expect(await andon.handlers.listLoops({})).toEqual(loops)
    expect(ids.map((id) => andon.store.iterationRows(id))).toEqual(rows)
    await andon.close()
  }, 120_000)

  it('SIGKILL at random points in 5 runs: every log intact, folds equal a clean replay, every loop finishes', async () => {
    const seed = Number(process.env.ANDON_SOAK_SEED ?? Date.now() % 100_000)
    let x = seed
    const random = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let run = 0; run < 5; run++) {
      const dataDir = tempDir()
      dirs.push(dataDir)
      const killAfterEvents = 5 + Math.floor(random() * 90) // a 15-iteration loop writes over 100 events
      const specJson = JSON.stringify(busyLoop(`kill-${run}`, 15))
      const committed = await new Promise<string[]>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/crash-child.ts', dataDir, specJson], { stdio: ['ignore', 'pipe', 'inherit'] })
        const lines: string[] = []
        createInterface({ input: child.stdout }).on('line', (l) => {
          if (l.startsWith('EV ')) lines.push(l)
          if (lines.length === killAfterEvents) child.kill('SIGKILL')
        })
        child.on('exit', (_c, signal) => (signal === 'SIGKILL' ? resolve(lines) : reject(new Error(`seed ${seed}: child ended before the kill`))))
      })
      const andon = await tempAndon({ dataDir })
      const [loopId] = andon.store.loopIds()
      await andon.supervisor.settled(loopId)
      const events = andon.store.readStream(loopId)
      expect(events.map((e) => e.version), `seed ${seed} run ${run}`).toEqual(events.map((_, i) => i + 1))
      for (const line of committed) {
        const [, , version, type] = line.split(' ')
        expect(events[Number(version) - 1]?.type, `seed ${seed} run ${run}`).toBe(type)
      }
      expect(fold(loopId, events)).toEqual(andon.store.loadState(loopId))
      expect(andon.supervisor.liveState(loopId).termination?.reason, `seed ${seed} run ${run}`).toBe('MAX_ITERATIONS')
      const iterations = events.flatMap((e) => (e.type === 'IterationStarted' ? [e.data.iteration] : []))
      expect(iterations).toEqual(Array.from({ length: 15 }, (_, i) => i + 1))
      await andon.close()
    }
  }, 120_000)
})
