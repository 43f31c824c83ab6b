/**
 * `andon eval save LOOP_ID --suite FILE`: a terminated or escalated run becomes a case of a suite
 * file (created when missing, its version bumped otherwise), with a snapshot of the folder the run
 * started from beside it (src/main/core/eval/save-case.ts). The file is the one the user names,
 * as with `andon export -o`; the control room only writes suites it lists.
 */
import { extname, resolve } from 'node:path'
import { CommandRefused } from '../../main/core/commands/commands'
import { saveEvalCase } from '../../main/core/eval/save-case'
import { EvalInputError } from '../../main/core/eval/suite'
import { SUITE_EXTENSIONS } from '../../main/core/eval/suite-folders'
import { EvalOutcome } from '../../shared/eval'
import { CaseName } from '../../shared/eval-contract'
import { AutonomyMode } from '../../shared/spec'
import { parse } from '../args'
import { CliError, dataDirOf, EXIT, type Io } from '../io'
import { withStore } from '../store'

export const usage =
  'usage: andon eval save LOOP_ID --suite FILE [--name NAME] [--expect OUTCOME] [--autonomy MODE] [--accept-other-spec]\n' +
  '                       [--label TEXT] [--correction TEXT] [--data-dir DIR] [--json]\n' +
  '  saves a terminated or escalated loop as a case of the suite FILE (.yaml, .yml or .json; created when missing,\n' +
  "  its version bumped otherwise): the loop's task, start state and a snapshot of the folder it started from\n" +
  '  (in cases/<name>/workspace/ beside the suite). --expect: SUCCESS, a termination reason but CANCELLED, or\n' +
  '  escalated (default: how the run ended; a cancelled run needs one); --label names what the case checks,\n' +
  '  --correction says what the right run does. --autonomy: the mode the case replays under (default: the one the\n' +
  '  run ended with; an eval has no operator, so a call the mode gates stops the replay). --accept-other-spec: save\n' +
  "  even though the case will replay another spec than the run had (edited at launch, its file changed since, no\n" +
  "  spec file here, or the suite is another spec's)."

const options = {
  suite: { type: 'string' },
  name: { type: 'string' },
  expect: { type: 'string' },
  autonomy: { type: 'string' },
  'accept-other-spec': { type: 'boolean', default: false },
  label: { type: 'string' },
  correction: { type: 'string' }
} as const

const BY = 'andon eval save'

function usageError(message: string): CliError {
  return new CliError(`${message}\n\n${usage}`, EXIT.usage)
}

export async function evalSaveCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, options, usage)
  if (values.help) return io.out(usage), EXIT.ok
  if (positionals.length !== 1) throw usageError('give exactly one loop id')
  if (!values.suite) throw usageError('give the suite file with --suite FILE')
  const suitePath = resolve(io.cwd, values.suite)
  if (!SUITE_EXTENSIONS.includes(extname(suitePath))) throw usageError(`the suite file must end in .yaml, .yml or .json: ${values.suite}`)
  const expect = values.expect === undefined ? undefined : EvalOutcome.safeParse(values.expect)
  if (expect && !expect.success) throw usageError(`--expect must be SUCCESS, a termination reason or escalated, not ${values.expect}`)
  const autonomy = values.autonomy === undefined ? undefined : AutonomyMode.safeParse(values.autonomy)
  if (autonomy && !autonomy.success) throw usageError(`--autonomy must be one of ${AutonomyMode.options.join(', ')}, not ${values.autonomy}`)
  const name = values.name === undefined ? undefined : CaseName.safeParse(values.name)
  if (name && !name.success) throw usageError(`--name: ${name.error.issues[0]?.message}`)
  if ((values.label?.length ?? 0) > 200) throw usageError('--label is at most 200 characters')
  if ((values.correction?.length ?? 0) > 4000) throw usageError('--correction is at most 4000 characters')

  const saved = await withStore(dataDirOf(io, values['data-dir']), {}, (store) =>
    saveEvalCase(store, {
      loopId: positionals[0],
      suitePath,
      name: name?.data,
      expect: expect?.data,
      autonomy: autonomy?.data,
      acceptOtherSpec: values['accept-other-spec'],
      label: values.label,
      correction: values.correction,
      by: BY
    })
  ).catch((err: unknown) => {
    throw err instanceof EvalInputError || err instanceof CommandRefused ? new CliError(err.message) : err
  })
  if (values.json) return io.out(JSON.stringify(saved, null, 2)), EXIT.ok
  io.out(`saved case "${saved.caseName}" (expects ${saved.expect}, replays under ${saved.autonomy}) to ${saved.suitePath}, ${saved.created ? 'a new suite' : 'suite'} version ${saved.version}`)
  const from = saved.workspace.source === 'start' ? 'the folder the run started from' : "the loop's folder as it is now: the folder it started from is gone"
  io.out(`workspace: ${saved.workspace.path} (${saved.workspace.files} file(s), ${saved.workspace.bytes} bytes; ${from})`)
  for (const s of saved.workspace.skipped) io.err(`left out: ${s}`)
  return EXIT.ok
}
