/** `andon run SPEC`: run a loop spec headless, with a line per iteration; exit 0 on SUCCESS. */
import { resolve } from 'node:path'
import { createAndon } from '../../main/core/create-andon'
import { loadSpecFile } from '../../main/core/specs/load-spec'
import { AutonomyMode, type LoopSpec } from '../../shared/spec'
import { intOption, parse } from '../args'
import { CliError, dataDirOf, EXIT, type Io } from '../io'
import { Follower } from '../follow'

export const usage =
  'usage: andon run SPEC_FILE [--data-dir DIR] [--json] [--max-iterations N] [--autonomy MODE] [--timeout SECONDS]\n' +
  '  exits 0 when the loop ends in SUCCESS, 1 when it ends otherwise or stops for an operator'

export async function loadSpec(path: string): Promise<LoopSpec> {
  try {
    return await loadSpecFile(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new CliError(code ? `cannot read ${path}: ${code}` : (err as Error).message)
  }
}

export async function runCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      'max-iterations': { type: 'string' },
      autonomy: { type: 'string' },
      timeout: { type: 'string' }
    },
    usage
  )
  if (values.help) return io.out(usage), EXIT.ok
  if (positionals.length !== 1) throw new CliError(`give exactly one spec file\n\n${usage}`, EXIT.usage)
  const specPath = resolve(io.cwd, positionals[0])
  let spec = await loadSpec(specPath)
  const maxIterations = intOption(values['max-iterations'], 'max-iterations')
  const timeout = intOption(values.timeout, 'timeout')
  if (values.autonomy !== undefined) {
    const mode = AutonomyMode.safeParse(values.autonomy)
    if (!mode.success) throw new CliError(`--autonomy must be one of ${AutonomyMode.options.join(', ')}`, EXIT.usage)
    spec = { ...spec, autonomy: mode.data }
  }
  if (maxIterations) spec = { ...spec, invariants: { ...spec.invariants, maxIterations } }

  const json = values.json
  const andon = await createAndon({ dataDir: dataDirOf(io, values['data-dir']), env: io.env, reconcileOnStart: false, hostLabel: 'andon run' })
  const follower = new Follower(andon, io, { json, timeoutSeconds: timeout })
  try {
    // The same checks as the Launch form: every error refuses the launch, warnings are said first.
    const { errors, warnings } = await andon.supervisor.preflight(spec, specPath)
    const lines = (ps: { path: string; message: string }[]) => ps.map((p) => `\n  ${p.path}: ${p.message}`).join('')
    if (errors.length) throw new CliError(`cannot launch ${specPath}:${lines(errors)}`)
    for (const w of warnings) io.err(`warning: ${w.path}: ${w.message}`)
    let loopId: string
    try {
      loopId = await andon.supervisor.launch(spec, { specPath })
    } catch (err) {
      throw new CliError(`cannot launch ${specPath}: ${(err as Error).message}`)
    }
    follower.follow(loopId)
    if (json) io.out(JSON.stringify({ event: 'started', loopId, name: spec.name, version: spec.version ?? null, policy: spec.policy.kind, autonomy: spec.autonomy }))
    else io.err(`loop ${loopId} started: ${spec.name}${spec.version ? ` ${spec.version}` : ''} (${spec.policy.kind}, ${spec.autonomy})`)
    return await follower.result()
  } finally {
    follower.close()
    await andon.close()
  }
}
