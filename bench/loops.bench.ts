/**
 * 20 loops at once with a fast deterministic policy: iterations/s against one loop alone in
 * the same run (group commit shares each fsync between loops), and main-process memory.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createAndon } from '../src/main/core/create-andon'
import { LoopSpecSchema } from '../src/shared/spec'
import { best, fmt, rate, row, section } from './harness'

const ITER = 150

/** Run `count` read_file loops of ITER iterations to the end; returns ms and RSS after. */
async function runLoops(count: number): Promise<{ ms: number; rss: number }> {
  let rss = 0
  const ms = await best(1, async (dir) => {
    mkdirSync(join(dir, 'template'))
    writeFileSync(join(dir, 'template', 'a.txt'), 'hello\n')
    const andon = await createAndon({ dataDir: join(dir, 'data'), env: {} })
    const spec = LoopSpecSchema.parse({
      name: 'bench-loop',
      task: 'read forever',
      workspace: join(dir, 'template'),
      policy: { kind: 'rules', rules: [{ name: 'read', when: {}, then: { tool: 'read_file', args: { path: 'a.txt' } } }] },
      invariants: { maxIterations: ITER, sameActionLimit: 1_000_000, progressEvery: 1_000_000 }
    })
    const t0 = performance.now()
    const ids = await Promise.all(Array.from({ length: count }, () => andon.supervisor.launch(spec)))
    await Promise.all(ids.map((id) => andon.supervisor.settled(id)))
    const elapsed = performance.now() - t0
    rss = process.memoryUsage().rss
    const iterations = (await andon.handlers.listLoops({})).reduce((n, l) => n + l.iteration, 0)
    if (iterations !== count * ITER) throw new Error(`expected ${count * ITER} iterations, got ${iterations}`)
    await andon.close()
    return elapsed
  })
  return { ms, rss }
}

export async function loopBenchmarks(): Promise<void> {
  section('Loops at once (rules policy, in-process read_file tool, no delay)')
  const one = await runLoops(1)
  const many = await runLoops(20)
  const oneRate = rate(ITER, one.ms)
  const manyRate = rate(20 * ITER, many.ms)
  row(`1 loop × ${ITER} iterations (reference)`, `${fmt(oneRate)} iterations/s`)
  row(`20 loops × ${ITER} iterations`, `${fmt(manyRate)} iterations/s`, `${(manyRate / oneRate).toFixed(1)}× one loop's rate, ${(many.ms / 1000).toFixed(1)} s`)
  row('main-process RSS after the 20-loop run', `${Math.round(many.rss / 2 ** 20)} MiB`)
}
