import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { PushMessage } from '../../shared/contract'
import { summarize } from '../../shared/summary'
import type { Andon, AndonOptions } from './andon'
import { rulesInForce } from './approvals/coverage'
import { approvalHandlers } from './approvals/handlers'
import { bundleHandlers } from './bundles/handlers'
import { evalHandlers } from './eval/handlers'
import { trackRecordHandlers } from './track-record/handlers'
import { createLoopHandlers } from './handlers'
import { sharedBackpressure } from './backpressure'
import { restoreDailyBudget } from './backpressure/daily-budget-setting'
import { WebhookNotifier } from './notifications/webhooks'
import { stopSandboxNetwork } from './sandbox/runtime'
import { TraceStore } from './store/trace-store'
import { Supervisor } from './supervisor/supervisor'
import { createToolRegistry } from './tools'

/** Walk up from this file to the project's resources/examples (source tree or build output). */
export function findExamplesDir(): string {
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd()
  for (;;) {
    const candidate = join(dir, 'resources', 'examples')
    if (existsSync(candidate)) return candidate
    const up = dirname(dir)
    if (up === dir) return resolve('resources', 'examples')
    dir = up
  }
}

export async function createAndon(opts: AndonOptions): Promise<Andon> {
  mkdirSync(opts.dataDir, { recursive: true })
  const env = opts.env ?? process.env
  const store = new TraceStore({ path: join(opts.dataDir, 'andon.db'), nativeBinding: opts.nativeBinding })
  // The global daily budget counts what was spent today before this start, too.
  const startOfDay = Date.parse(new Date().toISOString().slice(0, 10))
  const ledger = sharedBackpressure(env).ledger
  ledger.restore(store.spentSince(startOfDay))
  restoreDailyBudget(store, ledger)
  const tools = createToolRegistry()
  const supervisor = new Supervisor({ store, tools, dataDir: opts.dataDir, env, hostLabel: opts.hostLabel })
  const specDirs = [opts.examplesDir ?? findExamplesDir(), ...(opts.specDirs ?? [])]
  const listeners = new Set<(msg: PushMessage) => void>()
  const unsubscribe = store.subscribe((events, states) => {
    if (listeners.size === 0) return
    for (const event of events) {
      const state = states.get(event.loopId)
      if (!state) continue
      const msg: PushMessage = { kind: 'event', event, summary: summarize(state) }
      for (const l of listeners) l(msg)
    }
  })
  const webhooks = new WebhookNotifier({ store, env })
  const unsubscribeWebhooks = store.subscribe((events, states) => webhooks.onEvents(events, states))
  const handlers = {
    ...createLoopHandlers({ store, supervisor, specDirs, ledger, webhooks, env }),
    ...bundleHandlers({ store, env, nativeBinding: opts.nativeBinding }),
    ...approvalHandlers({ store, supervisor }),
    ...evalHandlers({ store, supervisor, specDirs, dataDir: opts.dataDir }),
    ...trackRecordHandlers({ store, rulesFor: rulesInForce(store, supervisor.approvalRules) })
  }
  const longRunning = opts.reconcileOnStart !== false
  if (longRunning) await supervisor.reconcile()
  // Every core renews its leases; a long-running shell also takes over loops whose driving process died.
  supervisor.startHeartbeat(longRunning)
  let closed = false
  return {
    handlers,
    store,
    supervisor,
    webhooks,
    onPush(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      if (closed) return
      closed = true
      await supervisor.stopAll()
      await stopSandboxNetwork()
      unsubscribeWebhooks()
      // After the loops stopped, so the escalation that ended a run is still sent.
      await webhooks.close()
      unsubscribe()
      store.close()
    }
  }
}
