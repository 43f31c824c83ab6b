/** `andon archive LOOP…`: take loops out of the lists (events kept), or bring them back with --undo. */
import { LoopArchive } from '../../main/core/store/archive'
import { checkedSummary } from '../../shared/loop-list'
import { parse } from '../args'
import { CliError, dataDirOf, EXIT, type Io } from '../io'
import { requireLoop, withStore } from '../store'

export const usage =
  'usage: andon archive LOOP_ID… [--why TEXT] [--undo] [--data-dir DIR]\n' +
  '  archived loops leave `andon ls` and the control room lists; `andon ls --archived` shows them'

export async function archiveCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { why: { type: 'string' }, undo: { type: 'boolean' } }, usage)
  if (values.help) return io.out(usage), EXIT.ok
  if (positionals.length === 0) throw new CliError(`give one or more loop ids\n\n${usage}`, EXIT.usage)
  const archived = values.undo !== true
  withStore(dataDirOf(io, values['data-dir']), {}, (store) => {
    for (const loopId of positionals) requireLoop(store, loopId)
    const listed = store.listLoops().map((l) => checkedSummary(l, l.loopId))
    const running = positionals.filter((id) => listed.some((l) => l.loopId === id && l.status === 'running' && !l.readOnly))
    if (archived && running.length) throw new CliError(`loop ${running.join(', ')} is running: pause or cancel it before archiving it`)
    const archive = new LoopArchive(store.db)
    for (const loopId of positionals) archive.set(loopId, archived, { by: 'andon archive', why: values.why ?? '', at: Date.now() })
  })
  io.err(`${archived ? 'archived' : 'brought back'}: ${positionals.join(', ')}`)
  return EXIT.ok
}
