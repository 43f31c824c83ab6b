/**
 * Where a bundle is read: on a worker thread, or (small bundles, or a build without the
 * worker script) on this thread with a turn of the event loop between chunks. Either way the
 * caller sees the steps of `readBundle`, except that a worker stages its chunks itself, through
 * its own connection to the store: neither the writes nor the WAL checkpoints they cause ever
 * hold up the thread that answers requests.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { ByteSource } from './byte-source'
import { readBundle, type ReadOptions, type ReadResult, type ReadStep } from './bundle-reader'
import type { IdMap } from './event-checks'
import { BundleImportError } from './unzip'

export interface WorkerStore {
  /** The database file. */
  path: string
  nativeBinding?: string
}

export type WorkerInput = ({ path: string } | { bytes: Uint8Array }) & { options: ReadOptions; store: WorkerStore }

export type WorkerMessage =
  | { kind: 'step'; step: ReadStep }
  | { kind: 'done'; result: ReadResult }
  | { kind: 'failed'; message: string; refused: boolean; status?: number }

export interface BundleRun {
  /** Answer the last step (the manifest wants the ids), and wait for the next. */
  next(answer?: IdMap): Promise<IteratorResult<ReadStep, ReadResult>>
  /** Resolves once nothing more will be written. */
  stop(): Promise<void>
}

export function runHere(source: ByteSource, options: ReadOptions): BundleRun {
  const reader = readBundle(source, options)
  return {
    async next(answer) {
      await new Promise((resolve) => setImmediate(resolve))
      return reader.next(answer)
    },
    stop: async () => source.close()
  }
}

/**
 * A small young generation makes the worker collect often: its garbage is chunk-sized, so the
 * heap stays small instead of growing until V8 feels like collecting. The old generation cap
 * stops a runaway read rather than the app.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 }

/** The worker script: built next to the main bundle, or the TypeScript source run through tsx. */
function startWorker(workerData: WorkerInput): Worker | null {
  const options = { workerData, resourceLimits: WORKER_LIMITS }
  const built = join(__dirname, 'bundle-import-worker.js')
  if (existsSync(built)) return new Worker(built, options)
  const source = join(__dirname, 'import-worker.ts')
  if (!existsSync(source)) return null
  const tsx = createRequire(__filename).resolve('tsx/cjs/api')
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)})`, { ...options, eval: true })
}

/** null when this build has no worker script. */
export function runInWorker(input: WorkerInput): BundleRun | null {
  const worker = startWorker(input)
  if (!worker) return null
  let waiting: { resolve: (r: IteratorResult<ReadStep, ReadResult>) => void; reject: (err: Error) => void } | null = null
  let failure: Error | null = null
  const queue: WorkerMessage[] = []
  const settle = () => {
    if (!waiting) return
    const w = waiting
    const m = queue.shift()
    if (!m && !failure) return
    waiting = null
    if (!m) return w.reject(failure!)
    if (m.kind === 'step') w.resolve({ done: false, value: m.step })
    else if (m.kind === 'done') w.resolve({ done: true, value: m.result })
    else w.reject(m.refused ? new BundleImportError(m.message, m.status) : new Error(m.message))
  }
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m)
    settle()
  })
  worker.on('error', (err: NodeJS.ErrnoException) => {
    failure ??= err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new BundleImportError('reading the bundle took more memory than an import may use') : err
    settle()
  })
  worker.on('exit', (code) => {
    failure ??= new Error(`the bundle reader stopped (exit code ${code})`)
    settle()
  })
  let started = false
  return {
    next(answer) {
      if (started) worker.postMessage({ answer })
      started = true
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject }
        settle()
      })
    },
    stop: async () => void (await worker.terminate())
  }
}
