/**
 * `andon recover`: loops left "running" by a process that died (an `andon run` killed with
 * kill -9, a crashed shell) are marked interrupted, and the tool processes they left are ended,
 * so no list shows them running forever. Nothing is driven: resume them in the control room or
 * with `andon resume`. Loops another live process drives are left alone.
 */
import { existsSync } from 'node:fs'
import { createAndon } from '../../main/core/create-andon'
import { parse } from '../args'
import { dataDirOf, dbPathOf, EXIT, type Io } from '../io'

export const usage = 'usage: andon recover [--data-dir DIR] [--json]'

export async function recoverCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {}, usage)
  if (values.help) return io.out(usage), EXIT.ok
  const dataDir = dataDirOf(io, values['data-dir'])
  if (!existsSync(dbPathOf(dataDir))) {
    if (values.json) io.out(JSON.stringify({ interrupted: [] }))
    else io.err(`no Andon data in ${dataDir}: nothing to recover`)
    return EXIT.ok
  }
  const andon = await createAndon({ dataDir, env: io.env, reconcileOnStart: false, hostLabel: 'andon recover' })
  try {
    const interrupted = await andon.supervisor.reconcile(false)
    if (values.json) io.out(JSON.stringify({ interrupted }))
    else if (interrupted.length === 0) io.err('no loop was left running by a stopped process')
    else for (const id of interrupted) io.out(`${id}  interrupted (resume it with: andon resume ${id})`)
    return EXIT.ok
  } finally {
    await andon.close()
  }
}
