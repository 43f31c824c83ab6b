/** The contract's bundle commands: export, import and compare, over the trace store. */
import { homedir } from 'node:os'
import type { BundleCommandName, Handlers } from '../../../shared/contract'
import type { TraceStore } from '../store/trace-store'
import { APP_VERSION } from './app-version'
import { compareLoops } from './compare'
import { bundleFileName, exportBundleBytes } from './export'
import { importBundle } from './import'
import { secretsFromEnv } from './secrets'

export interface BundleHandlerDeps {
  store: TraceStore
  /** Secret values to redact on export are taken from here. */
  env: Record<string, string | undefined>
  /** Extra redaction patterns (regular expressions) from settings. */
  redactPatterns?: string[]
  appVersion?: string
  /** The better-sqlite3 binary the store was opened with (the import worker opens its own connection). */
  nativeBinding?: string
}

export type BundleHandlers = Pick<Handlers, BundleCommandName>

export function bundleHandlers(deps: BundleHandlerDeps): BundleHandlers {
  return {
    exportBundle({ loopIds, redactPatterns }) {
      const declared = loopIds.flatMap((id) => deps.store.loadState(id).spec?.secrets ?? [])
      const { bytes, manifest } = exportBundleBytes(deps.store, {
        loopIds,
        appVersion: deps.appVersion ?? APP_VERSION,
        redaction: {
          secrets: secretsFromEnv(deps.env, declared),
          patterns: [...(deps.redactPatterns ?? []), ...redactPatterns],
          homeDir: homedir()
        }
      })
      return { fileName: bundleFileName(manifest), bytesBase64: Buffer.from(bytes).toString('base64'), manifest }
    },
    async importBundle({ bytesBase64 }) {
      const { loopIds, renamed, manifest } = await importBundle(deps.store, Buffer.from(bytesBase64, 'base64'), undefined, { nativeBinding: deps.nativeBinding })
      return { loopIds, renamed, manifest }
    },
    compareLoops: ({ a, b }) => compareLoops(deps.store, a, b)
  }
}
