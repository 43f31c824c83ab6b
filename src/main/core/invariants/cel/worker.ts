/**
 * Evaluates CEL expressions for the main thread, which ends this thread when an evaluation
 * outlives its time limit: CEL always terminates, but a comprehension over a long list or a
 * regular expression over a long output can take longer than a loop should wait.
 */
import { parentPort } from 'node:worker_threads'
import { celEnvironment } from './environment'
import type { CelOutcome, CelRequest } from './evaluator'

const compiled = new Map<string, (ctx: Record<string, unknown>) => unknown>()

function evaluate(expr: string, context: Record<string, unknown>): CelOutcome {
  try {
    let run = compiled.get(expr)
    if (!run) {
      run = celEnvironment().parse(expr) as (ctx: Record<string, unknown>) => unknown
      compiled.set(expr, run)
    }
    const value = run(context)
    return typeof value === 'boolean' ? { value } : { error: `the expression gave ${typeof value}, not a bool` }
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0] }
  }
}

// Loaded: the host starts timing evaluations from here.
celEnvironment()
parentPort!.postMessage({ ready: true })

parentPort!.on('message', (req: CelRequest) => {
  parentPort!.postMessage({ id: req.id, outcomes: req.exprs.map((e) => evaluate(e, req.context)) })
})
