/** `andon import FILE`: validate a bundle completely, then import its loops read-only. */
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { importBundleFile } from '../../main/core/bundles/import'
import { parse } from '../args'
import { CliError, dataDirOf, EXIT, type Io } from '../io'
import { withStore } from '../store'

export const usage = 'usage: andon import FILE [--data-dir DIR] [--json]'

export async function importCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {}, usage)
  if (values.help) return io.out(usage), EXIT.ok
  if (positionals.length !== 1) throw new CliError(`give exactly one bundle file\n\n${usage}`, EXIT.usage)
  const file = resolve(io.cwd, positionals[0])
  // Checked before the data dir is created; the file is then read a slice at a time, never whole.
  try {
    statSync(file)
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  const result = await withStore(dataDirOf(io, values['data-dir']), { create: true }, async (store) => {
    try {
      return await importBundleFile(store, file)
    } catch (err) {
      throw new CliError(`import refused, nothing was changed: ${(err as Error).message}`)
    }
  })
  if (values.json) {
    io.out(JSON.stringify({ loopIds: result.loopIds, renamed: result.renamed, manifest: result.manifest }, null, 2))
    return EXIT.ok
  }
  for (const l of result.manifest.loops) {
    const id = result.renamed[l.loopId] ?? l.loopId
    const note = result.renamed[l.loopId] ? ` (was ${l.loopId}: that id is taken)` : ''
    io.out(`imported ${id}  ${l.name}  ${l.eventCount} events, read-only${note}`)
  }
  return EXIT.ok
}
