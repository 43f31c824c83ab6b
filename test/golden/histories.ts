/**
 * Golden histories: scenarios that drive the real engine (store, supervisor, driver, tools,
 * the anthropic policy over HTTP, a SIGKILLed child process) and the event log each one must
 * produce. Times, ids, ports and paths differ between runs and are normalized away; everything
 * else (every event, its order and its data) must match the recorded history exactly.
 */
import type { StoredEvent } from '../../src/shared/events'

export interface LoopHistory {
  /** `loop-1`, `loop-2`… in order of creation within the scenario. */
  loop: string
  events: { type: string; data: unknown }[]
}

/** Fields that carry wall-clock or measured times: recorded, but never the same twice. */
const TIME_FIELDS = new Set(['at', 'latencyMs', 'durationMs', 'lastAliveAt', 'until', 'resumeAt', 'activeMs', 'runningSince', 'createdAt', 'updatedAt'])

function zeroTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(zeroTimes)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, TIME_FIELDS.has(k) && typeof v === 'number' ? 0 : zeroTimes(v)])
    )
  }
  return value
}

/** Consecutive output chunks of one call and stream are one: where a chunk ends depends on timing. */
function mergeOutput(events: StoredEvent[]): StoredEvent[] {
  const out: StoredEvent[] = []
  for (const e of events) {
    const last = out[out.length - 1]
    if (e.type === 'ToolOutput' && last?.type === 'ToolOutput' && last.data.callId === e.data.callId && last.data.stream === e.data.stream) {
      out[out.length - 1] = { ...last, data: { ...last.data, chunk: last.data.chunk + e.data.chunk } }
    } else out.push(e)
  }
  return out
}

export function normalize(loops: { loopId: string; events: StoredEvent[] }[], replace: [string | RegExp, string][] = []): LoopHistory[] {
  const ids = loops.map((l, i) => [l.loopId, `loop-${i + 1}`] as const)
  let text = JSON.stringify(loops.map((l) => mergeOutput(l.events).map((e) => ({ type: e.type, data: e.data }))))
  for (const [from, to] of ids) text = text.split(from).join(to)
  for (const [from, to] of replace) text = typeof from === 'string' ? text.split(from).join(to) : text.replace(from, to)
  text = text
    .replace(/esc-[0-9a-z]+-[0-9a-f]{8}/g, 'esc-id')
    .replace(/"idempotencyKey":"[0-9a-f]+"/g, '"idempotencyKey":"key"')
    .replace(/(msg|toolu|req)_scripted_\d+/g, '$1_scripted')
    .replace(/pid \d+/g, 'pid N')
  const parsed = JSON.parse(text) as { type: string; data: unknown }[][]
  return parsed.map((events, i) => ({ loop: ids[i][1], events: events.map((e) => zeroTimes(e) as { type: string; data: unknown }) }))
}

export function toJsonl(histories: LoopHistory[]): string {
  return histories.flatMap((h) => h.events.map((e) => JSON.stringify({ loop: h.loop, ...e }))).join('\n') + '\n'
}
