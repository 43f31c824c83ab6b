/** `andon otel LOOP [-o FILE] [--endpoint URL]`: the loop as an OTLP/JSON trace. */
import { writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { APP_VERSION } from '../../main/core/bundles/app-version'
import { secretsFromEnv } from '../../main/core/bundles/secrets'
import { loopTrace, sendOtlp } from '../../main/core/otel'
import { parse } from '../args'
import { CliError, dataDirOf, EXIT, type Io } from '../io'
import { requireLoop, withStore } from '../store'

export const usage =
  'usage: andon otel LOOP_ID [-o FILE] [--endpoint URL] [--header NAME=VALUE]... [--data-dir DIR]\n' +
  '  without -o or --endpoint the trace is printed; a base URL gets /v1/traces appended'

function headers(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const h of list ?? []) {
    const at = h.indexOf('=')
    if (at <= 0) throw new CliError(`--header must be NAME=VALUE, not ${h}`, EXIT.usage)
    out[h.slice(0, at).trim()] = h.slice(at + 1)
  }
  return out
}

export async function otelCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      output: { type: 'string', short: 'o' },
      endpoint: { type: 'string' },
      header: { type: 'string', multiple: true }
    },
    usage
  )
  if (values.help) return io.out(usage), EXIT.ok
  if (positionals.length !== 1) throw new CliError(`give exactly one loop id\n\n${usage}`, EXIT.usage)
  const loopId = positionals[0]
  const extraHeaders = headers(values.header)
  const trace = withStore(dataDirOf(io, values['data-dir']), {}, (store) => {
    requireLoop(store, loopId)
    const declared = store.loadState(loopId).spec?.secrets ?? []
    return loopTrace(store, loopId, { serviceVersion: APP_VERSION, redaction: { secrets: secretsFromEnv(io.env, declared), homeDir: homedir() } })
  })
  const spans = trace.resourceSpans[0].scopeSpans[0].spans.length
  if (values.output) {
    const file = resolve(io.cwd, values.output)
    writeFileSync(file, JSON.stringify(trace, null, 2) + '\n')
    io.err(`wrote ${file}: ${spans} spans`)
  }
  if (values.endpoint) {
    try {
      const r = await sendOtlp(values.endpoint, trace, { headers: extraHeaders })
      io.err(`sent ${spans} spans to ${values.endpoint}: HTTP ${r.status}${r.rejectedSpans ? `, ${r.rejectedSpans} rejected: ${r.message}` : ''}`)
      if (r.rejectedSpans > 0) return EXIT.failed
    } catch (err) {
      throw new CliError((err as Error).message)
    }
  }
  if (!values.output && !values.endpoint) io.out(JSON.stringify(trace, null, 2))
  return EXIT.ok
}
