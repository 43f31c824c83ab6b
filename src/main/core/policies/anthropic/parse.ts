/**
 * Turns a Messages API response into a Decision, or says exactly what was wrong with it:
 * no tool call, more than one, an unknown tool, or input that fails the tool's schema.
 */
import { z } from 'zod'
import type { Usage } from '../../../../shared/events'
import type { ToolDescriptor } from '../../tools/tool'
import { ProviderError } from '../../backpressure/errors'
import type { Decision } from '../policy'
import type { AnthropicPolicySpec } from '../../../../shared/spec'
import { costOf, type TokenCounts } from './prices'
import { REPORT_FIELD } from './prompt'

export interface MessageLike {
  model?: string
  content?: Array<{ type: string; text?: string; name?: string; input?: unknown }>
  stop_reason?: string | null
  usage?: { input_tokens: number; output_tokens: number; cache_creation_input_tokens?: number | null; cache_read_input_tokens?: number | null }
}

type Spec = z.infer<typeof AnthropicPolicySpec>

/** Characters per token when a response carries no usage: low, so the estimate errs on the high side. */
const CHARS_PER_TOKEN = 3

function counted(n: unknown): number | null {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n) : null
}

/**
 * Tokens and cost of a response. A response without usage is not free: its tokens are estimated
 * from the request and response text, and the note says so.
 */
export function usageOf(spec: Spec, msg: MessageLike, request: unknown): { usage: Usage; note: string | null } {
  const u = msg.usage
  const input = counted(u?.input_tokens)
  const output = counted(u?.output_tokens)
  let tokens: TokenCounts
  let estimated: string | null = null
  if (input === null || output === null) {
    const inEst = Math.ceil(JSON.stringify(request ?? '').length / CHARS_PER_TOKEN)
    const outEst = Math.ceil(JSON.stringify(msg.content ?? '').length / CHARS_PER_TOKEN)
    tokens = { input_tokens: input ?? inEst, output_tokens: output ?? outEst }
    estimated = `the response carried no usage; tokens estimated from the text (${tokens.input_tokens} in, ${tokens.output_tokens} out)`
  } else {
    tokens = { input_tokens: input, output_tokens: output, cache_creation_input_tokens: counted(u?.cache_creation_input_tokens), cache_read_input_tokens: counted(u?.cache_read_input_tokens) }
  }
  const { costUsd, note } = costOf(spec.model, tokens, spec.pricing)
  const inputTokens = tokens.input_tokens + (tokens.cache_creation_input_tokens ?? 0) + (tokens.cache_read_input_tokens ?? 0)
  return { usage: { inputTokens, outputTokens: tokens.output_tokens, costUsd }, note: [estimated, note].filter(Boolean).join('; ') || null }
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

export function toDecision(spec: Spec, response: unknown, tools: ToolDescriptor[], prompt: unknown): Decision {
  if (response === null || response === undefined || typeof response !== 'object' || Array.isArray(response)) {
    // An answer, just not a usable one: not a server error to retry.
    const body = response === undefined || response === null || response === '' ? 'an empty body' : `a ${Array.isArray(response) ? 'list' : typeof response} body`
    throw new ProviderError('malformed-response', `the provider answered with ${body}, not a Messages API message`, null, undefined, response)
  }
  const msg = response as MessageLike
  const { usage, note } = usageOf(spec, msg, (prompt as { request?: unknown } | undefined)?.request)
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
