/**
 * The core as one object: the trace store, the supervisor and the command handlers of the
 * contract. Every shell (Electron, web, CLI) creates one of these and speaks the contract to it.
 */
import type { Handlers, PushMessage } from '../../shared/contract'
import type { WebhookNotifier } from './notifications/webhooks'
import type { TraceStore } from './store/trace-store'
import type { Supervisor } from './supervisor/supervisor'

export interface AndonOptions {
  /** Folder for the database and loop workspaces. */
  dataDir: string
  /** Extra folders to list spec files from (the built-in examples are always listed). */
  specDirs?: string[]
  /** Where the built-in example specs live (found from the source tree by default). */
  examplesDir?: string
  /** Where API keys and tokens come from; defaults to process.env. */
  env?: Record<string, string | undefined>
  /** better-sqlite3 binary for the runtime (the Electron shell passes its own build). */
  nativeBinding?: string
  /** Resume loops that were running when the process last stopped (default true). */
  reconcileOnStart?: boolean
  /** What this process is, in messages to other processes on the same data dir ("web shell", "andon run"). */
  hostLabel?: string
}

export interface Andon {
  handlers: Handlers
  store: TraceStore
  supervisor: Supervisor
  /** Escalations and approvals sent to the operator's webhooks (a shell tells it its address, for links). */
  webhooks: WebhookNotifier
  /** Every committed event, with its loop's summary after it. */
  onPush(listener: (msg: PushMessage) => void): () => void
  close(): Promise<void>
}
