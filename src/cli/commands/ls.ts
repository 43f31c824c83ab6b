/** `andon ls`: every loop in the data dir, newest first. */
import { parse } from '../args'
import { dataDirOf, dbPathOf, EXIT, type Io } from '../io'
import { listedLoops } from '../../main/core/store/listed-loops'
import { withStore } from '../store'
import { existsSync } from 'node:fs'

export const usage = 'usage: andon ls [--data-dir DIR] [--json] [--archived]\n  --archived lists the archived loops instead'

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length)
}

export async function ls(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { archived: { type: 'boolean' } }, usage)
  if (values.help) return io.out(usage), EXIT.ok
  const dataDir = dataDirOf(io, values['data-dir'])
  const loops = existsSync(dbPathOf(dataDir)) ? withStore(dataDir, {}, (s) => listedLoops(s, { archived: values.archived === true })) : []
  if (values.json) {
    io.out(JSON.stringify(loops, null, 2))
    return EXIT.ok
  }
  if (loops.length === 0) {
    io.err(`no loops in ${dataDir}`)
    return EXIT.ok
  }
  const rows = loops.map((l) => [
    l.loopId,
    l.name,
    l.damaged ? `damaged (${l.damaged})` : l.readOnly ? `${l.status} (read-only)` : l.status,
    String(l.iteration),
    l.terminationReason ?? '',
    String(l.inputTokens + l.outputTokens),
    `$${l.costUsd.toFixed(4)}`
  ])
  const head = ['LOOP', 'NAME', 'STATUS', 'ITER', 'RESULT', 'TOKENS', 'COST']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  for (const r of [head, ...rows]) io.out(r.map((c, i) => pad(c, widths[i])).join('  ').trimEnd())
  return EXIT.ok
}
