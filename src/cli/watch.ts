/**
 * Follow a loop from the terminal: one line per finished iteration, notices for approvals and
 * escalations, and a promise that settles when the loop stops (terminated or waiting for a human).
 */
import type { PushMessage } from '../shared/contract'
import type { StoredEvent } from '../shared/events'
import { foldIterationRow, type IterationRow } from '../shared/iterations'
import type { LoopState } from '../shared/state'
import type { Andon } from '../main/core/andon'

export interface WatchHandlers {
  onIteration?(row: IterationRow, loopId: string): void
  onNotice?(text: string, loopId: string): void
}

/** Records pushes from before a loop id is known, so no early event is missed. */
export class LoopWatcher {
  private readonly buffered: StoredEvent[] = []
  private readonly rows = new Map<string, IterationRow[]>()
  private readonly followed = new Set<string>()
  private readonly unsubscribe: () => void

  constructor(
    andon: Andon,
    private readonly handlers: WatchHandlers
  ) {
    this.unsubscribe = andon.onPush((msg: PushMessage) => this.receive(msg.event))
  }

  follow(loopId: string): void {
    this.followed.add(loopId)
    const early = this.buffered.filter((e) => e.loopId === loopId)
    for (const e of early) this.handle(e)
  }

  private receive(e: StoredEvent): void {
    if (this.followed.has(e.loopId)) this.handle(e)
    else if (this.buffered.length < 10_000) this.buffered.push(e)
  }

  private handle(e: StoredEvent): void {
    let rows = this.rows.get(e.loopId)
    if (!rows) this.rows.set(e.loopId, (rows = []))
    const row = foldIterationRow(rows, e)
    if (e.type === 'InvariantChecked' && row) this.handlers.onIteration?.(row, e.loopId)
    if (e.type === 'ActionProposed' && e.data.needsApproval) {
      this.handlers.onNotice?.(`iteration ${e.data.iteration}: ${e.data.action.tool} waits for approval (${e.data.risk} risk)`, e.loopId)
    }
    if (e.type === 'Escalated') this.handlers.onNotice?.(`escalated at iteration ${e.data.packet.iteration}: ${e.data.packet.summary}`, e.loopId)
  }

  close(): void {
    this.unsubscribe()
  }
}

/** Resolves with the loop's state once it is no longer running. */
export async function untilStopped(andon: Andon, loopId: string, timeoutMs?: number): Promise<LoopState> {
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs
  for (;;) {
    await Promise.race([
      andon.supervisor.settled(loopId),
      new Promise((r) => setTimeout(r, Math.max(0, Math.min(1000, deadline - Date.now()))))
    ])
    const s = andon.supervisor.liveState(loopId)
    if (s.status !== 'running' && s.status !== 'created') return s
    if (Date.now() >= deadline) {
      await andon.supervisor.cancel(loopId)
      return andon.supervisor.liveState(loopId)
    }
    await new Promise((r) => setTimeout(r, 10))
  }
}

function short(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** `  3  replace_in_file path=math.js …  ok  replaced 1 occurrence  120 tok  $0.0010` */
export function iterationLine(row: IterationRow): string {
  const args = row.action ? Object.entries(row.action.args).map(([k, v]) => `${k}=${short(v, 30)}`).join(' ') : ''
  const what = row.action ? `${row.action.tool}${args ? ` ${args}` : ''}` : '(no action)'
  const result = row.result ? `${row.result.ok ? 'ok' : 'FAILED'}  ${short(row.result.summary)}` : '-'
  const failing = row.invariants?.failing.length ? `  invariants failing: ${row.invariants.failing.join(', ')}` : ''
  const cost = `${row.inputTokens + row.outputTokens} tok  $${row.costUsd.toFixed(4)}`
  return `${String(row.iteration).padStart(3)}  ${short(what, 70)}  ${result}  ${cost}${failing}`
}
