/** 20 loops at once with a fast deterministic policy: iterations/s and main-process memory. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createAndon } from '../src/main/core/create-andon'
import { LoopSpecSchema } from '../src/shared/spec'
import { best, fmt, rate, row, section } from './harness'

export async function loopBenchmarks(): Promise<void> {
  section('20 loops at once (rules policy, in-process read_file tool, no delay)')
  const LOOPS = 20
  const ITER = 150
  let rss = 0
  let iterations = 0
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
    const ids = await Promise.all(Array.from({ length: LOOPS }, () => andon.supervisor.launch(spec)))
    await Promise.all(ids.map((id) => andon.supervisor.settled(id)))
    const elapsed = performance.now() - t0
    rss = process.memoryUsage().rss
    iterations = (await andon.handlers.listLoops({})).reduce((n, l) => n + l.iteration, 0)
    if (iterations !== LOOPS * ITER) throw new Error(`expected ${LOOPS * ITER} iterations, got ${iterations}`)
    await andon.close()
    return elapsed
  })
  row(`${LOOPS} loops × ${ITER} iterations`, `${fmt(rate(iterations, ms))} iterations/s`, `${(ms / 1000).toFixed(1)} s`)
  row('main-process RSS after the run', `${Math.round(rss / 2 ** 20)} MiB`)
}
