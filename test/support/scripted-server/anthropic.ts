/**
 * The Messages API half of the scripted server: POST /v1/messages answers from a queue of
 * scripted steps, so a test decides exactly what "Claude" says next, failures included.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

export type AnthropicStep =
  | { type: 'message'; message: Record<string, unknown> }
  | { type: 'error'; status: number; errorType: string; message: string; headers?: Record<string, string> }
  /** Never answers: the client's timeout has to fire. */
  | { type: 'stall' }
  | { type: 'raw'; status: number; body: string; headers?: Record<string, string> }

export interface ToolUseOptions {
  report?: Record<string, unknown> | null
  text?: string
  stopReason?: string
  inputTokens?: number
  outputTokens?: number
  model?: string
}

let seq = 0

export function message(content: unknown[], o: ToolUseOptions = {}): AnthropicStep {
  return {
    type: 'message',
    message: {
      id: `msg_scripted_${++seq}`,
      type: 'message',
      role: 'assistant',
      model: o.model ?? 'claude-sonnet-4-5',
      content,
      stop_reason: o.stopReason ?? 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: o.inputTokens ?? 1200,
        output_tokens: o.outputTokens ?? 80,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0
      }
    }
  }
}

/** A well-formed decision: one tool_use whose input carries the args and the `_report`. */
export function toolUse(name: string, args: Record<string, unknown>, o: ToolUseOptions = {}): AnthropicStep {
  const report = o.report === null ? {} : { _report: o.report ?? { subgoal: `run ${name}`, confidence: 0.8, rationale: 'scripted' } }
  const content: unknown[] = []
  if (o.text) content.push({ type: 'text', text: o.text, citations: null })
  content.push({ type: 'tool_use', id: `toolu_scripted_${++seq}`, name, input: { ...args, ...report } })
  return message(content, o)
}

/** A call as Claude Code's model makes it: plain tool input (no `_report`), optionally after some text. */
export const agentToolUse = (name: string, input: Record<string, unknown>, text?: string): AnthropicStep => toolUse(name, input, { report: null, text })

export const textOnly = (text: string): AnthropicStep => message([{ type: 'text', text, citations: null }], { stopReason: 'end_turn' })

export const maxTokens = (): AnthropicStep =>
  message([{ type: 'text', text: 'I will now run the comm', citations: null }], { stopReason: 'max_tokens', outputTokens: 2048 })

export const apiError = (status: number, errorType: string, msg: string, headers?: Record<string, string>): AnthropicStep => ({
  type: 'error',
  status,
  errorType,
  message: msg,
  headers
})

export const rateLimited = (retryAfter: string): AnthropicStep =>
  apiError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': retryAfter })
export const serverError = (): AnthropicStep => apiError(500, 'api_error', 'Internal server error')
export const overloaded = (): AnthropicStep => apiError(529, 'overloaded_error', 'Overloaded')
export const stall = (): AnthropicStep => ({ type: 'stall' })
export const malformedJson = (): AnthropicStep => ({
  type: 'raw',
  status: 200,
  body: '{"id":"msg_broken","type":"message","content":[{"type":"tool_use",',
  headers: { 'content-type': 'application/json' }
})

export class AnthropicScript {
  private readonly queue: AnthropicStep[] = []
  /** Used when the queue is empty; by default the request fails loudly. */
  fallback: ((body: unknown) => AnthropicStep) | null = null
  /** When set, requests without this key (x-api-key or bearer) get a 401. */
  apiKey: string | null = null

  enqueue(...steps: AnthropicStep[]): this {
    this.queue.push(...steps)
    return this
  }

  /** Forget queued steps and the fallback (between tests). */
  reset(): void {
    this.queue.length = 0
    this.fallback = null
  }

  get pending(): number {
    return this.queue.length
  }

  handle(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    if (this.apiKey !== null) {
      const given = req.headers['x-api-key'] ?? String(req.headers.authorization ?? '').replace(/^Bearer /i, '')
      if (given !== this.apiKey) return send(res, 401, errorBody('authentication_error', 'invalid x-api-key'))
    }
    const step = this.queue.shift() ?? this.fallback?.(body) ?? apiError(500, 'api_error', 'scripted server: no response queued')
    switch (step.type) {
      case 'message':
        if ((body as { stream?: boolean } | undefined)?.stream) return sendStream(res, step.message)
        return send(res, 200, step.message, { 'request-id': `req_${seq}` })
      case 'error':
        return send(res, step.status, errorBody(step.errorType, step.message), step.headers)
      case 'raw':
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers })
        res.end(step.body)
        return
      case 'stall':
        return // the connection stays open until the client gives up or the server closes
    }
  }
}

function errorBody(type: string, message: string): unknown {
  return { type: 'error', error: { type, message } }
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/**
 * The same message as server-sent events, the way the Messages API streams it (Claude Code only
 * streams): message_start, each block's start/delta/stop, message_delta with the stop reason and
 * output tokens, message_stop.
 */
export function sendStream(res: ServerResponse, message: Record<string, unknown>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': `req_${seq}` })
  const write = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`)
  const { content, usage, stop_reason, ...rest } = message as { content: Record<string, unknown>[]; usage: Record<string, number>; stop_reason: string }
  write('message_start', { message: { ...rest, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } })
  content.forEach((block, index) => {
    if (block.type === 'tool_use') {
      write('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } })
      write('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } })
    } else {
      write('content_block_start', { index, content_block: { type: 'text', text: '' } })
      write('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } })
    }
    write('content_block_stop', { index })
  })
  write('message_delta', { delta: { stop_reason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } })
  write('message_stop', {})
  res.end()
}
