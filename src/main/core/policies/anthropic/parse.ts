/**
 * Turns a Messages API response into a Decision, or says exactly what was wrong with it:
 * no tool call, more than one, an unknown tool, or input that fails the tool's schema.
 */
import { z } from 'zod'
import type { Usage } from '../../../../shared/events'
import type { ToolDescriptor } from '../../tools/tool'
import { ProviderError } from '../../backpressure/errors'
import type { Decision } from '../policy'
import { costOf } from './prices'
import { REPORT_FIELD } from './prompt'

export interface MessageLike {
  model?: string
  content?: Array<{ type: string; text?: string; name?: string; input?: unknown }>
  stop_reason?: string | null
  usage?: { input_tokens: number; output_tokens: number; cache_creation_input_tokens?: number | null; cache_read_input_tokens?: number | null }
}

export function usageOf(model: string, msg: MessageLike): { usage: Usage; note: string | null } {
  const u = msg.usage ?? { input_tokens: 0, output_tokens: 0 }
  const { costUsd, note } = costOf(model, u)
  const inputTokens = u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0)
  return { usage: { inputTokens, outputTokens: u.output_tokens, costUsd }, note }
}

const ReportSchema = z.object({
  subgoal: z.string().default(''),
  confidence: z.coerce.number().min(0).max(1),
  rationale: z.string().default('')
})

const validators = new Map<string, z.ZodType | null>()

/** A zod validator from the tool's JSON schema (cached); null if the schema cannot be rebuilt. */
function validatorFor(tool: ToolDescriptor): z.ZodType | null {
  const key = `${tool.name}\n${JSON.stringify(tool.inputSchema)}`
  if (!validators.has(key)) {
    try {
      validators.set(key, z.fromJSONSchema(tool.inputSchema as never))
    } catch {
      validators.set(key, null)
    }
  }
  return validators.get(key) ?? null
}

export function toDecision(model: string, msg: MessageLike, tools: ToolDescriptor[], prompt: unknown): Decision {
  const { usage, note } = usageOf(model, msg)
  const fail = (kind: 'malformed-response' | 'max-tokens', what: string): never => {
    throw new ProviderError(kind, what, null, usage, msg)
  }
  if (!Array.isArray(msg.content)) fail('malformed-response', 'the response is not a Messages API message (no content array)')
  const content = msg.content!
  const calls = content.filter((b) => b.type === 'tool_use')
  if (msg.stop_reason === 'max_tokens')
    fail('max-tokens', `the model hit max_tokens before finishing its tool call (${usage.outputTokens} output tokens); raise maxTokens or shorten the state`)
  if (msg.stop_reason === 'model_context_window_exceeded')
    fail('max-tokens', `context budget exceeded: the prompt and answer do not fit the model's context window (${usage.inputTokens} input tokens); trim working memory`)
  if (calls.length === 0) {
    const said = content.map((b) => b.text ?? '').join(' ').trim().slice(0, 200)
    fail('malformed-response', `the model answered without a tool call (stop_reason ${msg.stop_reason ?? 'none'})${said ? `: "${said}"` : ''}`)
  }
  if (calls.length > 1) fail('malformed-response', `expected exactly one tool call, got ${calls.length}: ${calls.map((c) => c.name).join(', ')}`)
  const call = calls[0]
  const tool = tools.find((t) => t.name === call.name)
  if (!tool) fail('malformed-response', `the model asked for unknown tool "${call.name}" (known: ${tools.map((t) => t.name).join(', ') || 'none'})`)
  if (call.input === null || typeof call.input !== 'object' || Array.isArray(call.input))
    fail('malformed-response', `tool "${call.name}" input is not an object: ${JSON.stringify(call.input)}`)
  const { [REPORT_FIELD]: rawReport, ...args } = call.input as Record<string, unknown>
  const check = validatorFor(tool!)?.safeParse(args)
  if (check && !check.success) {
    const issues = check.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')
    fail('malformed-response', `tool "${call.name}" input fails its schema: ${issues}; input was ${JSON.stringify(args).slice(0, 500)}`)
  }
  const text = content.filter((b) => b.type === 'text').map((b) => b.text ?? '').join('\n').trim()
  const report = ReportSchema.safeParse(rawReport)
  const notes = [note, report.success ? null : `the model gave no valid ${REPORT_FIELD}; confidence recorded as 0`].filter(Boolean)
  const rationale = [report.success ? report.data.rationale : text, ...notes.map((n) => `[${n}]`)].filter(Boolean).join(' ')
  return {
    action: { tool: call.name!, args },
    subgoal: report.success ? report.data.subgoal : '',
    confidence: report.success ? report.data.confidence : 0,
    rationale,
    prompt,
    rawResponse: msg,
    usage
  }
}
