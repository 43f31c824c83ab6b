/**
 * `andon resume LOOP_ID`: drive a stopped loop headless from where it stands (paused,
 * interrupted, escalated, or left "running" by a process that died), like `andon run`.
 */
import { createAndon } from '../../main/core/create-andon'
import { parse, intOption } from '../args'
import { Follower } from '../follow'
import { CliError, dataDirOf, dbPathOf, EXIT, type Io } from '../io'
import { existsSync } from 'node:fs'

export const usage =
  'usage: andon resume LOOP_ID [--data-dir DIR] [--json] [--timeout SECONDS]\n' +
  '  resumes a paused, interrupted or escalated loop (or one whose process died) and follows it;\n' +
  '  exits 0 when it ends in SUCCESS, 1 when it ends otherwise or stops for an operator'

export async function resumeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { timeout: { type: 'string' } }, usage)
  if (values.help) return io.out(usage), EXIT.ok
  if (positionals.length !== 1) throw new CliError(`give exactly one loop id\n\n${usage}`, EXIT.usage)
  const loopId = positionals[0]
  const dataDir = dataDirOf(io, values['data-dir'])
  if (!existsSync(dbPathOf(dataDir))) throw new CliError(`no Andon data in ${dataDir} (use --data-dir or ANDON_DATA_DIR)`)
  const andon = await createAndon({ dataDir, env: io.env, reconcileOnStart: false, hostLabel: 'andon resume' })
  const follower = new Follower(andon, io, { json: values.json, timeoutSeconds: intOption(values.timeout, 'timeout') })
  try {
    const before = (await andon.handlers.listLoops({})).find((l) => l.loopId === loopId)
    if (!before) throw new CliError(`no loop with id ${loopId}`)
    follower.follow(loopId)
    try {
      // A loop left "running" by a process that died is taken over first (its lease must have lapsed).
      if (before.status === 'running' && !(await andon.supervisor.takeOver(loopId))) {
        throw new Error(andon.supervisor.leases.heldElsewhere(loopId) ? `it is driven by ${andon.supervisor.leases.heldElsewhere(loopId)}` : 'it is running here already')
      }
      if (andon.supervisor.liveState(loopId).status !== 'running') await andon.supervisor.resume(loopId, { by: 'andon resume' })
    } catch (err) {
      throw new CliError(`cannot resume ${loopId}: ${(err as Error).message}`)
    }
    io.err(`loop ${loopId} resumed: ${before.name} at iteration ${before.iteration}`)
    return await follower.result()
  } finally {
    follower.close()
    await andon.close()
  }
}
