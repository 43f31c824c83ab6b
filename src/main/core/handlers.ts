/**
 * The contract's loop commands, implemented over the supervisor and the store. Inputs arrive
 * already parsed by the shell (IPC or HTTP) with the contract's zod schemas.
 */
import type { Handlers, SeparateCommandName } from '../../shared/contract'
import { LoopSpecSchema } from '../../shared/spec'
import { summarize } from '../../shared/summary'
import { ITERATION_PAGE } from '../../shared/iterations'
import { descendsFromImport } from './approvals/lineage'
import type { DailyBudgetLedger } from './backpressure'
import { dailyBudgetOf, setDailyBudget } from './backpressure/daily-budget-setting'
import { policyEndpoint } from './policies'
import type { WebhookNotifier } from './notifications/webhooks'
import { listSpecFiles, SpecError, validateSpecText } from './specs/load-spec'
import { checkPreviewable, previewFileEdit } from './tools/file-preview'
import { fleetStats } from './store/fleet-stats'
import { listedLoops } from './store/listed-loops'
import type { TraceStore } from './store/trace-store'
import { pauseAll } from './supervisor/pause-all'
import { CommandError, type Supervisor } from './supervisor/supervisor'

export interface LoopHandlerDeps {
  store: TraceStore
  supervisor: Supervisor
  specDirs: string[]
  ledger: DailyBudgetLedger
  webhooks: WebhookNotifier
  /** The operator's environment: says which provider endpoints a loop may call. */
  env: Record<string, string | undefined>
  clock?: () => number
}

export function createLoopHandlers({ store, supervisor, specDirs, ledger, webhooks, env, clock = Date.now }: LoopHandlerDeps): Omit<Handlers, SeparateCommandName> {
  const summary = (loopId: string) => summarize(supervisor.liveState(loopId))
  return {
    listSpecs: () => listSpecFiles(specDirs),
    async validateSpec({ text, specId }) {
      const v = validateSpecText(text)
      if (!v.ok) return v
      const specPath = specId ? ((await listSpecFiles(specDirs)).find((s) => s.id === specId)?.path ?? null) : null
      const { errors, warnings } = await supervisor.preflight(v.spec, specPath)
      return errors.length ? { ok: false, errors, warnings } : { ...v, warnings }
    },
    async launchLoop({ specId, specText, overrides }) {
      let text = specText
      let specPath: string | null = null
      if (specId) {
        const entry = (await listSpecFiles(specDirs)).find((s) => s.id === specId)
        if (!entry) throw new CommandError(`no spec ${specId}`, 404)
        specPath = entry.path
        text ??= entry.text
      }
      const v = validateSpecText(text!)
      if (!v.ok) throw new SpecError(specPath ?? 'text', v.errors)
      // The overrides are checked like the spec itself (a name with a slash is refused, not stored).
      const overridden = LoopSpecSchema.safeParse({
        ...v.spec,
        name: overrides.name ?? v.spec.name,
        autonomy: overrides.autonomy ?? v.spec.autonomy,
        invariants: { ...v.spec.invariants, maxIterations: overrides.maxIterations ?? v.spec.invariants.maxIterations }
      })
      if (!overridden.success) throw new SpecError('launch overrides', overridden.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })))
      return { loopId: await supervisor.launch(overridden.data, { specPath }) }
    },
    listLoops: ({ archived }) => listedLoops(store, { archived }),
    async archiveLoop({ loopId, archived, why }) {
      supervisor.archive(loopId, archived, why)
      return { loopId, archived }
    },
    getLoop({ loopId }) {
      const state = supervisor.liveState(loopId)
      const endpoint = state.spec ? policyEndpoint(state.spec.policy, env) : null
      const iterations = store.newestIterationRows(loopId, ITERATION_PAGE)
      return { state, iterations, iterationSpan: store.iterationSpan(loopId), summary: summarize(state), endpoint, importedLineage: descendsFromImport(store, loopId) }
    },
    getIterations({ loopId, fromIteration, toIteration, limit }) {
      if (store.streamVersion(loopId) === 0) throw new CommandError(`no loop ${loopId}`, 404)
      return { rows: store.iterationRowsBetween(loopId, fromIteration, toIteration, limit), iterationSpan: store.iterationSpan(loopId) }
    },
    getEvents({ loopId, afterVersion, limit }) {
      const events = store.readStream(loopId, { afterVersion, limit })
      const last = events.at(-1)?.version ?? afterVersion
      return { events, next: last < store.streamVersion(loopId) ? last : null }
    },
    stateAt: ({ loopId, version }) => supervisor.stateAt(loopId, version),
    pauseLoop: async ({ loopId, reason }) => summarize(await supervisor.pause(loopId, reason)),
    pauseAll: ({ reason }) => pauseAll(supervisor, store, reason),
    resumeLoop: async ({ loopId, expectedVersion }) => summarize(await supervisor.resume(loopId, { expectedVersion })),
    cancelLoop: async ({ loopId, expectedVersion }) => summarize(await supervisor.cancel(loopId, { expectedVersion })),
    patchState: ({ loopId, patch, why, expectedVersion }) => supervisor.patch(loopId, patch, why, { expectedVersion }),
    async decideApproval({ loopId, expectedVersion, ...input }) {
      await supervisor.decideApproval(loopId, input, { expectedVersion })
      return summary(loopId)
    },
    async previewAction({ loopId, action }) {
      const state = supervisor.liveState(loopId)
      checkPreviewable(state, action)
      return state.workspace ? previewFileEdit(state.workspace, action) : { kind: 'unavailable', path: null, message: `loop ${loopId} has no workspace on this machine` }
    },
    resolveOutcome: async ({ loopId, outcome, note, expectedVersion }) => summarize(await supervisor.resolveOutcome(loopId, outcome, note, { expectedVersion })),
    forkLoop: async ({ loopId, atVersion, patch, start, confirmImported }) => ({ loopId: await supervisor.fork(loopId, atVersion, patch, start, confirmImported) }),
    reviewFork: async ({ loopId, atVersion }) => supervisor.reviewFork(loopId, atVersion),
    listInbox: () => supervisor.inbox(),
    getDailyBudget: () => dailyBudgetOf(store, ledger),
    setDailyBudget: ({ usd, why }) => setDailyBudget(store, ledger, { usd, by: 'operator', why, at: clock() }),
    getWebhooks: () => webhooks.settings(),
    setWebhooks: ({ escalation, approval, why }) => webhooks.setUrls({ escalation, approval }, { by: 'operator', why }),
    fleetStats: ({ days }) => fleetStats(store, { now: clock(), days, budget: dailyBudgetOf(store, ledger) })
  }
}
