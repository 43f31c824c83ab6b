/**
 * `andon eval SUITE`: run one spec over every case of a suite and report convergence rate,
 * iterations to convergence, invariant-violation rate and cost per convergence; exits 1 when a
 * threshold is missed, so a suite can gate CI.
 * `andon eval --baseline A --candidate B SUITE`: the validation gate (src/main/core/eval/gate.ts);
 * exits 1 when the candidate is worse. Both run in the core; this file parses and prints.
 */
import { resolve } from 'node:path'
import { createAndon } from '../../main/core/create-andon'
import type { Andon } from '../../main/core/andon'
import { runGate } from '../../main/core/eval/gate'
import { EvalRunError, runSuite } from '../../main/core/eval/run-suite'
import { EvalInputError, loadSuite, suiteName, type LoadedSuite } from '../../main/core/eval/suite'
import { loadTarget } from '../../main/core/eval/targets'
import type { EvalReport, EvalRunResult } from '../../shared/eval'
import { intOption, parse } from '../args'
import { CliError, dataDirOf, EXIT, type Io } from '../io'
import { iterationLine, LoopWatcher } from '../watch'
import { printGate } from '../eval/gate-text'

export const usage =
  'usage: andon eval SUITE_FILE [--repeat N] [--data-dir DIR] [--json] [--verbose]\n' +
  '       andon eval [--baseline A.yaml] --candidate B.yaml SUITE_FILE [--repeat N] [--seed N] [--require-better] [--no-commands] [--quiet] [--json]\n' +
  '       andon eval save LOOP_ID --suite FILE [...]   (a run becomes a case: andon eval save --help)\n' +
  '  one spec (the suite\'s): exits 0 when every threshold of the suite is met, 1 otherwise\n' +
  '  the gate (two specs; --baseline defaults to the suite\'s spec): exits 1 when the candidate is worse,\n' +
  '  with --require-better 1 unless it is better, 0 otherwise; 2 on usage errors, 3 on bad input\n' +
  '  --no-commands refuses, before any run, a spec that could start a program (exit 3)\n' +
  '  --quiet prints only the verdict line; eval runs are tagged `eval` and archived (andon ls --archived)'

const options = {
  verbose: { type: 'boolean', short: 'v', default: false },
  quiet: { type: 'boolean', short: 'q', default: false },
  repeat: { type: 'string' },
  seed: { type: 'string' },
  baseline: { type: 'string' },
  candidate: { type: 'string' },
  'require-better': { type: 'boolean', default: false },
  'no-commands': { type: 'boolean', default: false }
} as const

function usageError(message: string): CliError {
  return new CliError(`${message}\n\n${usage}`, EXIT.usage)
}

/** Errors the user can act on come back as CliError; anything else keeps its stack. */
function asCliError(err: unknown): unknown {
  return err instanceof EvalInputError || err instanceof EvalRunError ? new CliError((err as Error).message) : err
}

function printSuite(io: Io, suite: LoadedSuite, results: EvalRunResult[], report: EvalReport, repeated: boolean): void {
  for (const r of results) {
    const mark = r.passed ? 'ok  ' : 'FAIL'
    const expected = r.expected === 'SUCCESS' ? '' : ` (expected ${r.expected})`
    const name = repeated ? `${r.name} #${r.repetition}` : r.name
    io.out(`${mark}  ${name}: ${r.reason ?? r.status}${expected} after ${r.iterations} iteration(s), $${r.costUsd.toFixed(4)}${r.reason === 'SUCCESS' ? '' : ` — ${r.detail}`}`)
  }
  const it = report.iterationsToConvergence
  io.out('')
  io.out(`suite: ${suiteName(suite)} (version ${suite.version})`)
  io.out(`convergence rate:           ${(report.convergenceRate * 100).toFixed(1)}% (${report.converged}/${report.cases})`)
  if (report.matched !== report.converged) io.out(`pass rate (as expected):    ${(report.passRate * 100).toFixed(1)}% (${report.matched}/${report.cases})`)
  io.out(`iterations to convergence:  ${it ? `mean ${it.mean.toFixed(1)}, median ${it.median}, max ${it.max}` : '-'}`)
  io.out(`invariant-violation rate:   ${(report.invariantViolationRate * 100).toFixed(1)}% of iterations`)
  io.out(`cost per convergence:       ${report.costPerConvergence === null ? '-' : `$${report.costPerConvergence.toFixed(4)}`}`)
  io.out(report.passed ? 'PASS' : `FAIL: ${report.failures.join('; ')}`)
}

export async function evalCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, options, usage)
  if (values.help) return io.out(usage), EXIT.ok
  if (positionals.length !== 1) throw usageError('give exactly one suite file')
  const gate = values.candidate !== undefined
  if (!gate && values.baseline !== undefined) throw usageError('--baseline needs --candidate: the gate compares two specs')
  for (const flag of ['seed', 'require-better', 'no-commands', 'quiet'] as const) {
    if (!gate && values[flag]) throw usageError(`--${flag} is for the gate (--candidate B.yaml)`)
  }
  const repetitions = intOption(values.repeat, 'repeat')
  const seed = values.seed === undefined ? undefined : Number(values.seed)
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw usageError(`--seed must be a whole number from 0 to 4294967295, not ${values.seed}`)

  const suite = await loadSuite(resolve(io.cwd, positionals[0])).catch((err) => Promise.reject(asCliError(err)))
  const baselinePath = values.baseline !== undefined ? resolve(io.cwd, values.baseline) : suite.specPath
  if (!baselinePath) throw usageError(gate ? `${suite.path} names no spec: give --baseline A.yaml` : `${suite.path} names no spec: add \`spec:\` to it, or compare two with --baseline and --candidate`)

  const andon = await createAndon({ dataDir: dataDirOf(io, values['data-dir']), env: io.env, reconcileOnStart: false, hostLabel: 'andon eval' })
  const watcher = new LoopWatcher(andon, {
    onIteration: (row) => values.verbose && io.err(`   ${iterationLine(row)}`),
    onNotice: (text) => values.verbose && io.err(`   ${text}`)
  })
  try {
    return await (gate ? gateCommand(andon, watcher, suite, baselinePath, resolve(io.cwd, values.candidate as string)) : suiteCommand(andon, watcher, suite, baselinePath))
  } catch (err) {
    throw asCliError(err)
  } finally {
    io.status('')
    watcher.close()
    await andon.close()
  }

  async function suiteCommand(core: Andon, w: LoopWatcher, s: LoadedSuite, specPath: string): Promise<number> {
    const target = await loadTarget(core, specPath)
    for (const warning of target.warnings) io.err(`warning: ${warning}`)
    const { results, report } = await runSuite(core, s, target, {
      repetitions,
      onRun: (p) => {
        io.status(`run ${p.index}/${p.total}: ${p.caseName}`)
        if (values.verbose) io.err(`case ${p.caseName}${p.repetition > 1 ? ` #${p.repetition}` : ''}`)
      },
      onLaunched: (loopId) => w.follow(loopId)
    })
    io.status('')
    if (values.json) io.out(JSON.stringify({ suite: suiteName(s), version: s.version, threshold: s.threshold, report, cases: results }, null, 2))
    else printSuite(io, s, results, report, results.some((r) => r.repetition > 1))
    return report.passed ? EXIT.ok : EXIT.failed
  }

  async function gateCommand(core: Andon, w: LoopWatcher, s: LoadedSuite, baselineSpec: string, candidateSpec: string): Promise<number> {
    const noCommands = values['no-commands']
    const baseline = await loadTarget(core, baselineSpec, { noCommands })
    const candidate = await loadTarget(core, candidateSpec, { noCommands })
    for (const [side, t] of [['baseline', baseline], ['candidate', candidate]] as const) for (const warning of t.warnings) io.err(`warning: ${side}: ${warning}`)
    const report = await runGate(core, s, baseline, candidate, {
      repetitions,
      settings: seed === undefined ? {} : { seed },
      onRun: (p) => {
        io.status(`run ${p.index}/${p.total}: ${p.caseName} #${p.repetition} (${p.side})`)
        if (values.verbose) io.err(`case ${p.caseName} #${p.repetition} (${p.side})`)
      },
      onLaunched: (loopId) => w.follow(loopId)
    })
    io.status('')
    if (values.json) io.out(JSON.stringify(report, null, 2))
    else printGate(io, report, { quiet: values.quiet })
    if (report.verdict === 'worse') return EXIT.failed
    return values['require-better'] && report.verdict !== 'better' ? EXIT.failed : EXIT.ok
  }
}
