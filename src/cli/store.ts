/**
 * Commands that only read or append events (ls, export, import, otel) open the trace store
 * directly: no supervisor starts, so nothing that was running in the app is resumed here.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { TraceStore } from '../main/core/store/trace-store'
import { CliError, dbPathOf } from './io'

export function withStore<T>(dataDir: string, opts: { create?: boolean }, fn: (store: TraceStore) => T): T {
  const path = dbPathOf(dataDir)
  if (!existsSync(path)) {
    if (!opts.create) throw new CliError(`no Andon data in ${dataDir} (use --data-dir or ANDON_DATA_DIR)`)
    mkdirSync(dataDir, { recursive: true })
  }
  const store = new TraceStore({ path })
  try {
    const out = fn(store)
    if (out instanceof Promise) {
      return out.finally(() => store.close()) as T
    }
    store.close()
    return out
  } catch (err) {
    store.close()
    throw err
  }
}

export function requireLoop(store: TraceStore, loopId: string): void {
  if (store.streamVersion(loopId) === 0) throw new CliError(`no loop with id ${loopId}`)
}
