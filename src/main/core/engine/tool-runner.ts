/**
 * Runs one tool call for a driver: validated input, the loop's context, output streamed into
 * ToolOutput events in batches, and the time it took on a monotonic clock. A thrown tool is a
 * failed result, never a crashed loop. Output still buffered when the tool ends is handed back
 * (`tail`), for the caller to write with the call's outcome in one commit.
 */
import type { LoopEventInput } from '../../../shared/events'
import type { Action } from '../../../shared/spec'
import type { SecretScrubber } from '../secrets/scrubber'
import { StreamScrubber } from '../secrets/stream-scrubber'
import type { AnyTool, ToolContext, ToolResult } from '../tools/tool'

/** How often buffered tool output is appended while a tool runs. */
const OUTPUT_FLUSH_MS = 50
const OUTPUT_FLUSH_CHARS = 16 * 1024

type Stream = 'stdout' | 'stderr' | 'info'

export interface ToolRun {
  tool: AnyTool
  action: Action
  callId: string
  /** The context minus `emit`, which the runner provides. */
  context: Omit<ToolContext, 'emit'>
  /** Output flushed while the tool runs (it streams live). */
  append(events: LoopEventInput[]): Promise<void>
  monotonic(): number
  /** The loop's secrets: output is scrubbed as it streams, so none is split past the scrubbing. */
  scrubber?: SecretScrubber
}

export type ToolRunResult = ToolResult & { durationMs: number; tail: LoopEventInput[] }

export async function runTool(run: ToolRun): Promise<ToolRunResult> {
  let buffer: { stream: Stream; chunk: string }[] = []
  let buffered = 0
  let timer: NodeJS.Timeout | null = null
  const streamScrubber = run.scrubber ? new StreamScrubber<Stream>(run.scrubber) : null
  /** The buffered output as events (adjacent chunks of one stream merged: fewer, larger events), emptying the buffer. */
  const drain = (): LoopEventInput[] => {
    if (timer) clearTimeout(timer)
    timer = null
    const merged: typeof buffer = []
    for (const b of buffer) {
      const last = merged[merged.length - 1]
      if (last && last.stream === b.stream) last.chunk += b.chunk
      else merged.push({ ...b })
    }
    buffer = []
    buffered = 0
    return merged.map((m) => ({ type: 'ToolOutput', data: { callId: run.callId, stream: m.stream, chunk: m.chunk } }))
  }
  const flush = () => {
    const events = drain()
    if (events.length > 0) void run.append(events).catch(() => undefined)
  }
  const started = run.monotonic()
  let result: ToolResult
  try {
    result = await run.tool.run(run.tool.input.parse(run.action.args), {
      ...run.context,
      emit: (stream, chunk) => {
        for (const piece of streamScrubber ? streamScrubber.push(stream, chunk) : [{ stream, chunk }]) {
          buffer.push(piece)
          buffered += piece.chunk.length
        }
        if (buffered >= OUTPUT_FLUSH_CHARS) flush()
        else if (buffered > 0 && !timer) timer = setTimeout(flush, OUTPUT_FLUSH_MS)
      }
    })
  } catch (err) {
    result = { ok: false, exitCode: null, summary: `${run.tool.name} failed: ${(err as Error).message}`, excerpt: '' }
  }
  if (streamScrubber) buffer.push(...streamScrubber.end())
  const tail = drain()
  if (run.scrubber) {
    // The excerpt is the output's tail: it may begin or end inside a secret.
    result = { ...result, summary: run.scrubber.scrubText(result.summary), excerpt: run.scrubber.scrubEdges(run.scrubber.scrubText(result.excerpt), { start: true, end: true }) }
  }
  return { ...result, durationMs: Math.max(0, Math.round(run.monotonic() - started)), tail }
}
