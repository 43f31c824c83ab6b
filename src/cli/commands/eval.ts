/**
 * `andon eval SUITE`: run one spec over every case of a suite and report convergence rate,
 * iterations to convergence, invariant-violation rate and cost per convergence. Exits 1 when
 * a threshold is missed, so a suite can gate CI.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve, sep } from 'node:path'
import { createAndon } from '../../main/core/create-andon'
import type { Andon } from '../../main/core/andon'
import type { LoopSpec } from '../../shared/spec'
import { parse } from '../args'
import { evaluate, type CaseResult, type EvalReport } from '../eval/metrics'
import { loadSuite, type EvalCase, type LoadedSuite } from '../eval/suite'
import { CliError, dataDirOf, EXIT, type Io } from '../io'
import { iterationLine, LoopWatcher, untilStopped } from '../watch'
import { loadSpec } from './run'

export const usage =
  'usage: andon eval SUITE_FILE [--data-dir DIR] [--json] [--verbose]\n' +
  '  exits 0 when every threshold of the suite is met, 1 otherwise'

function caseSpec(base: LoopSpec, c: EvalCase): LoopSpec {
  return {
    ...base,
    task: c.task ?? base.task,
    workspace: c.workspace ?? base.workspace,
    invariants: { ...base.invariants, maxIterations: c.maxIterations ?? base.invariants.maxIterations }
  }
}

async function writeCaseFiles(workspace: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    const path = resolve(workspace, rel)
    if (!path.startsWith(workspace + sep)) throw new CliError(`case file ${rel} is outside the workspace`)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text)
  }
}

async function runCase(andon: Andon, watcher: LoopWatcher, suite: LoadedSuite, base: LoopSpec, c: EvalCase): Promise<CaseResult> {
  const sup = andon.supervisor
  const loopId = await sup.launch(caseSpec(base, c), { specPath: suite.specPath, start: false })
  if (c.facts.length) await sup.patch(loopId, { ops: c.facts.map((fact) => ({ op: 'addFact' as const, fact })) }, `eval case ${c.name}`, { by: 'eval' })
  const workspace = sup.liveState(loopId).workspace
  if (Object.keys(c.files).length) {
    if (!workspace) throw new CliError(`case ${c.name}: the loop has no workspace to write files into`)
    await writeCaseFiles(workspace, c.files)
  }
  watcher.follow(loopId)
  await sup.resume(loopId, { by: 'eval' })
  let s = await untilStopped(andon, loopId, suite.timeoutSeconds * 1000)
  const stoppedFor = s.termination ? null : s.escalation?.summary ?? s.status
  // A case that waits for an operator has not converged; close it so the data dir stays tidy.
  if (!s.termination) s = await sup.cancel(loopId)
  const rows = andon.store.iterationRows(loopId)
  return {
    name: c.name,
    loopId,
    reason: s.termination?.reason ?? null,
    status: s.status,
    detail: stoppedFor ? `stopped for an operator: ${stoppedFor}` : (s.termination?.detail ?? ''),
    iterations: s.iteration,
    iterationsChecked: rows.filter((r) => r.invariants).length,
    iterationsWithViolation: rows.filter((r) => (r.invariants?.failing.length ?? 0) > 0).length,
    inputTokens: s.usage.inputTokens,
    outputTokens: s.usage.outputTokens,
    costUsd: s.usage.costUsd
  }
}

function printReport(io: Io, suite: LoadedSuite, results: CaseResult[], report: EvalReport): void {
  for (const r of results) {
    const mark = r.reason === 'SUCCESS' ? 'ok  ' : 'FAIL'
    io.out(`${mark}  ${r.name}: ${r.reason ?? r.status} after ${r.iterations} iteration(s), $${r.costUsd.toFixed(4)}${r.reason === 'SUCCESS' ? '' : ` — ${r.detail}`}`)
  }
  const it = report.iterationsToConvergence
  io.out('')
  io.out(`suite: ${suite.name ?? suite.path}`)
  io.out(`convergence rate:           ${(report.convergenceRate * 100).toFixed(1)}% (${report.converged}/${report.cases})`)
  io.out(`iterations to convergence:  ${it ? `mean ${it.mean.toFixed(1)}, median ${it.median}, max ${it.max}` : '-'}`)
  io.out(`invariant-violation rate:   ${(report.invariantViolationRate * 100).toFixed(1)}% of iterations`)
  io.out(`cost per convergence:       ${report.costPerConvergence === null ? '-' : `$${report.costPerConvergence.toFixed(4)}`}`)
  io.out(report.passed ? 'PASS' : `FAIL: ${report.failures.join('; ')}`)
}

export async function evalCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { verbose: { type: 'boolean', short: 'v', default: false } }, usage)
  if (values.help) return io.out(usage), EXIT.ok
  if (positionals.length !== 1) throw new CliError(`give exactly one suite file\n\n${usage}`, EXIT.usage)
  const suite = await loadSuite(resolve(io.cwd, positionals[0]))
  const base = await loadSpec(suite.specPath)
  const andon = await createAndon({ dataDir: dataDirOf(io, values['data-dir']), env: io.env, reconcileOnStart: false, hostLabel: 'andon eval' })
  const watcher = new LoopWatcher(andon, {
    onIteration: (row) => values.verbose && io.err(`   ${iterationLine(row)}`),
    onNotice: (text) => values.verbose && io.err(`   ${text}`)
  })
  const results: CaseResult[] = []
  try {
    for (const [i, c] of suite.cases.entries()) {
      io.status(`case ${i + 1}/${suite.cases.length}: ${c.name}`)
      if (values.verbose) io.err(`case ${c.name}`)
      try {
        results.push(await runCase(andon, watcher, suite, base, c))
      } catch (err) {
        if (err instanceof CliError) throw err
        throw new CliError(`case ${c.name}: ${(err as Error).message}`)
      }
    }
  } finally {
    io.status('')
    watcher.close()
    await andon.close()
  }
  const report = evaluate(results, suite.threshold)
  if (values.json) io.out(JSON.stringify({ suite: suite.name ?? suite.path, threshold: suite.threshold, report, cases: results }, null, 2))
  else printReport(io, suite, results, report)
  return report.passed ? EXIT.ok : EXIT.failed
}
