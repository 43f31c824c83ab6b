/**
 * The bundle reader on a worker thread: inflating, hashing, parsing and checking a large
 * bundle, and staging its chunks in the store, never hold up the thread that answers
 * requests. Only the manifest (which wants ids back) and the outcome go to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { TraceStore } from '../store/trace-store'
import { bytesSource, fileSource } from './byte-source'
import { readBundle } from './bundle-reader'
import type { WorkerInput, WorkerMessage } from './import-run'
import type { IdMap } from './event-checks'
import { written } from './staging'
import { BundleImportError } from './unzip'

const input = workerData as WorkerInput
const port = parentPort!
const post = (m: WorkerMessage) => port.postMessage(m)

function answer(): Promise<IdMap | undefined> {
  return new Promise((resolve) => port.once('message', (m: { answer?: IdMap }) => resolve(m.answer)))
}

async function run(): Promise<void> {
  const source = 'path' in input ? fileSource(input.path) : bytesSource(input.bytes)
  const store = new TraceStore({ path: input.store.path, nativeBinding: input.store.nativeBinding })
  try {
    const reader = readBundle(source, input.options)
    let step = reader.next()
    while (!step.done) {
      if (step.value.kind === 'chunk') {
        const { chunk } = step.value
        written(() => store.stageImport(chunk))
        step = reader.next()
      } else {
        post({ kind: 'step', step: step.value })
        step = reader.next(await answer())
      }
    }
    post({ kind: 'done', result: step.value })
  } finally {
    source.close()
    store.close()
  }
}

run().catch((err: unknown) => {
  const refused = err instanceof BundleImportError
  post({ kind: 'failed', message: (err as Error).message ?? String(err), refused, status: refused ? err.status : undefined })
})
