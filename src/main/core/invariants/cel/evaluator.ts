/**
 * CEL evaluation with a time limit: expressions run in a worker thread, one request at a time;
 * a request that outlives the limit ends the worker (and is reported as an error, so an
 * invariant fails closed), and the next request starts a fresh one.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

export type CelOutcome = { value: boolean } | { error: string }
export interface CelRequest {
  id: number
  exprs: string[]
  context: Record<string, unknown>
}

export const CEL_TIME_LIMIT_MS = 1_000
/** Starting the worker (loading the CEL library) is not the expression's time. */
const START_LIMIT_MS = 30_000

/** The worker script: built next to the main bundle, or the TypeScript source run through tsx. */
function startWorker(): Worker {
  const built = join(__dirname, 'cel-worker.js')
  if (existsSync(built)) return new Worker(built)
  const source = join(__dirname, 'worker.ts')
  const tsx = createRequire(__filename).resolve('tsx/cjs/api')
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)})`, { eval: true })
}

/** A started worker, once it has said it is ready. */
function readyWorker(): Promise<Worker> {
  const worker = startWorker()
  worker.unref()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`it did not start within ${START_LIMIT_MS} ms`)), START_LIMIT_MS)
    const fail = (err: Error) => {
      clearTimeout(timer)
      void worker.terminate()
      reject(err)
    }
    worker.once('error', fail)
    worker.once('message', () => {
      clearTimeout(timer)
      worker.off('error', fail)
      resolve(worker)
    })
  })
}

export class CelEvaluator {
  private worker: Promise<Worker> | null = null
  private nextId = 1
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly timeLimitMs = CEL_TIME_LIMIT_MS) {}

  /** Each expression's value, or why it has none (a runtime error, or the time limit). */
  evaluate(exprs: string[], context: Record<string, unknown>): Promise<CelOutcome[]> {
    if (exprs.length === 0) return Promise.resolve([])
    const run = this.queue.then(() => this.send(exprs, context))
    this.queue = run.catch(() => undefined)
    return run
  }

  private async send(exprs: string[], context: Record<string, unknown>): Promise<CelOutcome[]> {
    const starting = (this.worker ??= readyWorker())
    let worker: Worker
    try {
      worker = await starting
    } catch (err) {
      this.worker = null
      return exprs.map(() => ({ error: `the CEL evaluator could not start: ${(err as Error).message}` }))
    }
    const id = this.nextId++
    return new Promise((resolve) => {
      const done = (outcomes: CelOutcome[]) => {
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('error', onError)
        resolve(outcomes)
      }
      const fail = (error: string) => {
        if (this.worker === starting) this.worker = null
        void worker.terminate()
        done(exprs.map(() => ({ error })))
      }
      const onMessage = (m: { id: number; outcomes: CelOutcome[] }) => m.id === id && done(m.outcomes)
      const onError = (err: Error) => fail(`the evaluator failed: ${err.message}`)
      const timer = setTimeout(() => fail(`did not finish within ${this.timeLimitMs} ms`), this.timeLimitMs)
      worker.on('message', onMessage)
      worker.on('error', onError)
      worker.postMessage({ id, exprs, context } satisfies CelRequest)
    })
  }

  async close(): Promise<void> {
    const w = this.worker
    this.worker = null
    await w?.then((worker) => worker.terminate()).catch(() => undefined)
  }
}

let shared: CelEvaluator | null = null

/** The process's evaluator (its worker starts on the first expression). */
export function celEvaluator(): CelEvaluator {
  shared ??= new CelEvaluator()
  return shared
}
