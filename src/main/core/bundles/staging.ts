/** What an import hands the trace store: checked events staged out of sight until published. */
import { BundleImportError } from './unzip'

export interface StagedEvent {
  version: number
  type: string
  json: string
  at: number
  schema: number
}

/** Checked events of one loop, with the projection rows they touched, under the loop's id in the store. */
export interface StagedChunk {
  loopId: string
  events: StagedEvent[]
  /** [iteration, row JSON] */
  iterations: [number, string][]
  /** [version, state JSON] */
  snapshots: [number, string][]
}

/** An import under way, as recorded in the store: who runs it and which ids it stages under. */
export interface StagedImport {
  token: string
  pid: number
  loopIds: string[]
  startedAt: number
}

/** Run a write of an import: a failure is reported as the bundle not written (nothing of it stays). */
export function written(write: () => void): void {
  try {
    write()
  } catch (err) {
    throw new BundleImportError(`the bundle could not be written; nothing was imported: ${(err as Error).message}`, 500)
  }
}
