/** `andon export LOOP... -o FILE`: one redacted, checksummed bundle. */
import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { APP_VERSION } from '../../main/core/bundles/app-version'
import { exportBundleFile } from '../../main/core/bundles/export'
import { secretsFromEnv } from '../../main/core/bundles/secrets'
import { parse } from '../args'
import { CliError, dataDirOf, EXIT, type Io } from '../io'
import { requireLoop, withStore } from '../store'

export const usage = 'usage: andon export LOOP_ID... -o FILE [--redact REGEX]... [--data-dir DIR] [--json]'

export async function exportCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    { output: { type: 'string', short: 'o' }, redact: { type: 'string', multiple: true } },
    usage
  )
  if (values.help) return io.out(usage), EXIT.ok
  if (positionals.length === 0) throw new CliError(`give at least one loop id\n\n${usage}`, EXIT.usage)
  if (!values.output) throw new CliError(`give the bundle file with -o FILE\n\n${usage}`, EXIT.usage)
  const file = resolve(io.cwd, values.output)
  const manifest = withStore(dataDirOf(io, values['data-dir']), {}, (store) => {
    positionals.forEach((id) => requireLoop(store, id))
    const declared = positionals.flatMap((id) => store.loadState(id).spec?.secrets ?? [])
    try {
      return exportBundleFile(store, file, {
        loopIds: positionals,
        appVersion: APP_VERSION,
        redaction: { secrets: secretsFromEnv(io.env, declared), patterns: values.redact ?? [], homeDir: homedir() },
        onProgress: ({ done, total }) => io.status(`exporting ${done}/${total} events`)
      })
    } catch (err) {
      throw new CliError((err as Error).message)
    }
  })
  io.status('')
  const events = manifest.loops.reduce((n, l) => n + l.eventCount, 0)
  if (values.json) {
    io.out(JSON.stringify({ file, manifest }, null, 2))
  } else {
    io.out(`wrote ${file}: ${manifest.loops.length} loop(s), ${events} events, ${manifest.redactions.length} redaction(s)`)
  }
  return EXIT.ok
}
