/**
 * Main-thread CPU per iteration with 50 in-process loops (rules policy, read_file tool): the
 * process's CPU (user+system, every thread) and the main thread's alone (Linux: /proc), with the
 * event loop's utilization, divided by the iterations completed. Paired in each round with a
 * reference of the machine's speed at the same kind of work: raw better-sqlite3 appends of the
 * rows an iteration writes (WAL, synchronous=FULL, 50 iterations' rows per commit), so the ratio
 * is the share of an iteration's CPU that is bare storage, and falls when the core adds work.
 * One loop alone is shown too: what running 50 at once saves per iteration.
 */
import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { join } from 'node:path'
import { createAndon } from '../src/main/core/create-andon'
import { expectRatio, inTempDir, QUICK, ratioRow, ROUNDS, section, spreadRow } from './harness'
import { readFileLoop } from './fixtures'

const LOOPS = 50
const ITER = QUICK ? 8 : 20
/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on Linux). */
const TICK_MS = 10

export interface CpuRun {
  iterations: number
  /** Process CPU (user+system, all threads) per iteration, ms. */
  processMs: number
  /** Main thread CPU per iteration, ms (NaN where /proc is not there). */
  mainMs: number
  /** Event loop utilization over the run (0..1). */
  elu: number
}

/** The main thread's user+system CPU so far in ms, from /proc (its task id is the pid). */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS
  } catch {
    return NaN
  }
}

/** Run `count` read_file loops of `iter` iterations to the end in `dir`; CPU per iteration over the run. */
export async function cpuRun(dir: string, count: number, iter = ITER): Promise<CpuRun> {
  const spec = readFileLoop(dir, 'cpu-bench', iter)
  const andon = await createAndon({ dataDir: join(dir, 'data'), env: {} })
  try {
    const elu0 = performance.eventLoopUtilization()
    const cpu0 = process.cpuUsage()
    const main0 = mainThreadCpuMs()
    const ids = await Promise.all(Array.from({ length: count }, () => andon.supervisor.launch(spec)))
    await Promise.all(ids.map((id) => andon.supervisor.settled(id)))
    const cpu = process.cpuUsage(cpu0)
    const main = mainThreadCpuMs() - main0
    const elu = performance.eventLoopUtilization(elu0).utilization
    const iterations = (await andon.handlers.listLoops({})).reduce((n, l) => n + l.iteration, 0)
    if (iterations !== count * iter) throw new Error(`expected ${count * iter} iterations, got ${iterations}`)
    return { iterations, processMs: (cpu.user + cpu.system) / 1000 / iterations, mainMs: main / iterations, elu }
  } finally {
    await andon.close()
  }
}

/** Rows an iteration appends (IterationStarted … InvariantChecked), and a typical row's payload. */
const ROWS_PER_ITERATION = 8
const ROW = JSON.stringify({ iteration: 1, action: { tool: 'read_file', args: { path: 'a.txt' } }, note: 'x'.repeat(360) })

/** Main-thread CPU ms per iteration's worth of raw appends, `iterations` of them, 50 iterations per commit. */
function rawAppendCpuMs(dir: string, iterations: number): number {
  const db = new Database(join(dir, 'raw.db'))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY, loop_id TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (loop_id, version))')
    const insert = db.prepare('INSERT INTO events (loop_id, version, type, data) VALUES (?, ?, ?, ?)')
    const commit = db.transaction((from: number) => {
      for (let i = from; i < from + 50; i++) for (let r = 0; r < ROWS_PER_ITERATION; r++) insert.run(`loop-${i % 50}`, i * ROWS_PER_ITERATION + r, 'Observed', ROW)
    })
    const main0 = mainThreadCpuMs()
    const cpu0 = process.cpuUsage()
    for (let i = 0; i < iterations; i += 50) commit(i)
    const main = mainThreadCpuMs() - main0
    const cpu = process.cpuUsage(cpu0)
    // /proc counts in 10 ms ticks: use it when the run is long enough, else the process's figure.
    return (main >= 200 ? main : (cpu.user + cpu.system) / 1000) / iterations
  } finally {
    db.close()
  }
}

export async function cpuBenchmarks(): Promise<void> {
  section(`Main-thread CPU per iteration, ${LOOPS} loops at once (rules policy, in-process read_file tool)`)
  const raw: number[] = []
  const one: CpuRun[] = []
  const many: CpuRun[] = []
  const rawIterations = QUICK ? 5_000 : 10_000
  // Unmeasured: the first run of the process pays for loading and compiling the core.
  await inTempDir((dir) => cpuRun(dir, 2, 4))
  for (let r = 0; r < ROUNDS; r++) {
    // Paired by hand (these trials return CPU figures, not ms), the order alternating each round.
    const trials = [
      async () => raw.push(await inTempDir((dir) => rawAppendCpuMs(dir, rawIterations))),
      async () => many.push(await inTempDir((dir) => cpuRun(dir, LOOPS))),
      // One loop alone (full runs only: its commits wait on the disk one at a time).
      async () => void (QUICK || one.push(await inTempDir((dir) => cpuRun(dir, 1, ITER * 4))))
    ]
    for (const t of r % 2 === 0 ? trials : trials.reverse()) await t()
  }
  const perIter = (n: number) => `${n.toFixed(3)} ms/iteration`
  const pct = (n: number) => `${(n * 100).toFixed(0)}%`
  const useMain = many.every((r) => !Number.isNaN(r.mainMs))
  const cpuOf = (r: CpuRun) => (useMain ? r.mainMs : r.processMs)
  spreadRow(`raw better-sqlite3: ${ROWS_PER_ITERATION} rows per iteration (reference)`, raw, perIter)
  spreadRow(`${LOOPS} loops × ${ITER}: ${useMain ? 'main-thread' : 'process'} CPU`, many.map(cpuOf), perIter)
  spreadRow(`${LOOPS} loops × ${ITER}: process CPU (all threads)`, many.map((r) => r.processMs), perIter)
  spreadRow(`${LOOPS} loops × ${ITER}: event loop utilization`, many.map((r) => r.elu), pct)
  if (one.length) {
    spreadRow(`1 loop × ${ITER * 4}: ${useMain ? 'main-thread' : 'process'} CPU`, one.map(cpuOf), perIter)
    ratioRow(`1 loop's CPU per iteration ÷ ${LOOPS} loops'`, one.map((o, i) => cpuOf(o) / cpuOf(many[i])))
  }
  // The reference unit: raw appends of 20 iterations' rows, so the ratio reads near 1.
  const ratios = raw.map((ref, i) => (20 * ref) / cpuOf(many[i]))
  const name = `${LOOPS} loops: CPU of raw appends of ${20 * ROWS_PER_ITERATION} rows ÷ one iteration's`
  ratioRow(name, ratios)
  // --quick on a shared 2-core machine: medians 0.83–1.22 over five runs (0.97 typical). The code
  // before tool descriptions were cached (3616b06^), run with this bench: medians 0.50–0.52, no
  // round above 0.64. Floor 0.7 (0.97 ÷ 1.4) lies between: the old per-decision cost fails it
  // unless noise lifts it by a third, and the current code keeps a margin over its lowest median.
  expectRatio(name, ratios, 0.7)
}
