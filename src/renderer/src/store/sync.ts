/**
 * The one place pushed events enter the renderer. Pushes are batched (a busy core appends
 * thousands of events a second), summaries go to the loops list, events of the selected loop
 * are folded into its view, and the inbox is refreshed when something may have changed in it.
 * A reconnect or a version gap triggers a resync from the API, so nothing is silently missed.
 */
import type { LoopSummary, PushMessage } from '../../../shared/contract'
import type { LoopEventType, StoredEvent } from '../../../shared/events'
import { andon, errorMessage } from '../transport'
import { useStore } from './index'
import type { LoopTab } from './ui-slice'

const INBOX_EVENTS = new Set<LoopEventType>([
  'ActionProposed',
  'ActionApproved',
  'ActionRejected',
  'Escalated',
  'EscalationResolved',
  'Resumed',
  'Terminated',
  'StatePatched'
])
/** A hidden page paints nothing, so its batches can wait longer (and rAF would not fire). */
const HIDDEN_FLUSH_MS = 250

let queue: PushMessage[] = []
let flushScheduled = false
/** Events of the selected loop that arrived while its getLoop was in flight. */
let pendingDetail: { loopId: string; events: StoredEvent[] } | null = null
let inboxTimer: ReturnType<typeof setTimeout> | null = null

export function refreshInboxSoon(): void {
  if (inboxTimer) return
  inboxTimer = setTimeout(() => {
    inboxTimer = null
    void refreshInbox()
  }, 150)
}

export async function refreshInbox(): Promise<void> {
  try {
    useStore.getState().setInbox(await andon.listInbox({}))
  } catch (err) {
    useStore.getState().notify(`inbox: ${errorMessage(err)}`)
  }
}

export async function refreshLoops(): Promise<void> {
  try {
    useStore.getState().setLoops(await andon.listLoops({ archived: useStore.getState().showArchived }))
  } catch (err) {
    useStore.getState().notify(`loops: ${errorMessage(err)}`)
  }
}

/** Load a loop into the loop view (also used to resync after a gap). */
export async function loadLoop(loopId: string): Promise<void> {
  pendingDetail = { loopId, events: [] }
  try {
    const got = await andon.getLoop({ loopId })
    if (useStore.getState().selectedLoopId !== loopId) return
    const pending = pendingDetail?.loopId === loopId ? pendingDetail.events : []
    pendingDetail = null
    useStore.getState().setDetail({ loopId, state: got.state, rows: got.iterations, span: got.iterationSpan, endpoint: got.endpoint }, pending)
    useStore.getState().upsertSummaries([got.summary])
  } catch (err) {
    if (useStore.getState().selectedLoopId === loopId) useStore.getState().setDetailError(errorMessage(err))
  }
}

export function selectLoop(loopId: string, opts: { tab?: LoopTab } = {}): void {
  const st = useStore.getState()
  useStore.setState({
    selectedLoopId: loopId,
    view: 'loop',
    loopTab: opts.tab ?? (st.selectedLoopId === loopId ? st.loopTab : 'timeline'),
    selectedIteration: st.selectedLoopId === loopId ? st.selectedIteration : null,
    detail: st.detail?.loopId === loopId ? st.detail : null,
    detailError: null
  })
  void loadLoop(loopId)
}

/**
 * Summaries wait up to this long before the loops list takes them: with many loops running every
 * frame brings some, and each taken batch redraws the list and every view of `loops`. A summary
 * that changes what an operator acts on (a new loop, its status, something waiting) goes at once.
 */
const SUMMARY_MS = 250
const heldSummaries = new Map<string, LoopSummary>()
let summariesAt = 0
let summaryTimer: ReturnType<typeof setTimeout> | null = null

/** The newest summary of a loop this renderer has: held back or in the store. */
function latestSummary(loopId: string): LoopSummary | undefined {
  return heldSummaries.get(loopId) ?? useStore.getState().loops[loopId]
}

function takeSummaries(batch: PushMessage[]): void {
  let urgent = false
  for (const { summary } of batch) {
    const before = latestSummary(summary.loopId)
    if (!before || before.status !== summary.status || before.waiting !== summary.waiting || before.archived !== summary.archived) urgent = true
    heldSummaries.set(summary.loopId, summary)
  }
  const wait = summariesAt + SUMMARY_MS - Date.now()
  if (urgent || wait <= 0) applySummaries()
  else summaryTimer ??= setTimeout(applySummaries, wait)
}

function applySummaries(): void {
  if (summaryTimer) clearTimeout(summaryTimer)
  summaryTimer = null
  summariesAt = Date.now()
  if (heldSummaries.size === 0) return
  const list = [...heldSummaries.values()]
  heldSummaries.clear()
  useStore.getState().upsertSummaries(list)
}

function flush(): void {
  flushScheduled = false
  const batch = queue
  queue = []
  const st = useStore.getState()
  const inboxMayChange = batch.some((m) => INBOX_EVENTS.has(m.event.type) && mayBeInInbox(m, latestSummary(m.summary.loopId)))
  takeSummaries(batch)

  const selected = st.selectedLoopId
  const mine = batch.filter((m) => m.event.loopId === selected).map((m) => m.event)
  if (selected && mine.length > 0) {
    if (pendingDetail?.loopId === selected) pendingDetail.events.push(...mine)
    else if (st.detail?.loopId === selected && !st.applyEvents(mine)) void loadLoop(selected)
  }
  if (inboxMayChange) refreshInboxSoon()
}

/**
 * The inbox lists only loops with something waiting: an event of a loop that had nothing waiting
 * before it (as far as the list knows) and has nothing after it changes no inbox item. Every
 * iteration of a running loop proposes an action; only the ones held for approval need a refresh.
 */
function mayBeInInbox(msg: PushMessage, before: LoopSummary | undefined): boolean {
  return msg.summary.waiting > 0 || before === undefined || before.waiting > 0
}

function onPush(msg: PushMessage): void {
  if (msg.kind !== 'event') return
  queue.push(msg)
  scheduleFlush()
}

/** One batch per frame: everything pushed before the next paint is applied together. */
function scheduleFlush(): void {
  if (flushScheduled) return
  flushScheduled = true
  const visible = typeof document !== 'undefined' && document.visibilityState === 'visible'
  if (visible && typeof requestAnimationFrame === 'function') requestAnimationFrame(flush)
  else setTimeout(flush, HIDDEN_FLUSH_MS)
}

/** Start listening; called once at startup. */
export function startSync(): void {
  andon.onPush(onPush)
  let wasConnected = false
  andon.onConnection?.((status) => {
    useStore.getState().setConnection(status)
    if (status === 'connected') {
      // After a reconnect, whatever was pushed while away is fetched again.
      if (wasConnected) void resync()
      wasConnected = true
    }
    if (status === 'token-refused') {
      useStore.getState().notify("The web shell refused this tab's token: it was rotated (`andon web-token --rotate`). Open the URL the server printed in this tab.")
    }
  })
  if (!andon.onConnection) useStore.getState().setConnection('connected')
  void resync()
}

async function resync(): Promise<void> {
  await Promise.all([refreshLoops(), refreshInbox()])
  const selected = useStore.getState().selectedLoopId
  if (selected) await loadLoop(selected)
}
