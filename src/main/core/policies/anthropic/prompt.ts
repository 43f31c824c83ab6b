/**
 * The decision request: Andon's system prompt (followed by the spec's own `policy.system`
 * instructions, when it has them), one user message rendering the loop's state
 * (task, invariants with their limits, working memory, last observation and rejection), and the
 * tools. Each decision is a single turn: working memory is the state, so an operator's patch
 * changes exactly what the model sees next.
 */
import type { DecisionInput } from '../policy'
import type { ToolDescriptor } from '../../tools/tool'
import type { z } from 'zod'
import { describeVerify, type AnthropicPolicySpec } from '../../../../shared/spec'
import type { MessageCreateParamsNonStreaming, Tool } from '@anthropic-ai/sdk/resources/messages'

/** Reserved input field every tool call carries: the model's subgoal, confidence and rationale. */
export const REPORT_FIELD = '_report'

export const SYSTEM_PROMPT = [
  'You are the policy of a supervised agent loop. Each turn you see the loop state and choose exactly ONE tool call that moves the task forward.',
  `Every tool call must include the field "${REPORT_FIELD}": {"subgoal": the immediate goal this call serves, "confidence": a number from 0 to 1 that this call is right, "rationale": one or two sentences why}.`,
  'Rules: prefer small verifiable steps; do not repeat a call that just failed without changing something; read before you write; if a human rejected your last proposal, respect the reason.',
  'Invariants are enforced outside of you: breaking one stops the loop and calls a human.'
].join('\n')

const TAIL_CHARS = 6_000
const MEMORY_CHARS = 6_000

type Spec = z.infer<typeof AnthropicPolicySpec>

/** The heading the spec's own instructions follow, after Andon's protocol (which always stays). */
export const LOOP_INSTRUCTIONS_HEADING = "# This loop's instructions"

/** Andon's protocol, then the loop's instructions: a spec without `system` gets exactly SYSTEM_PROMPT. */
export function systemPrompt(spec: Pick<Spec, 'system'>): string {
  const own = spec.system?.trim()
  return own ? `${SYSTEM_PROMPT}\n\n${LOOP_INSTRUCTIONS_HEADING}\n${own}` : SYSTEM_PROMPT
}

export function reportSchema(): Record<string, unknown> {
  return {
    type: 'object',
    description: 'Your report for this decision (not passed to the tool).',
    properties: {
      subgoal: { type: 'string', description: 'The immediate goal this call serves.' },
      confidence: { type: 'number', minimum: 0, maximum: 1, description: 'How sure you are that this call is right.' },
      rationale: { type: 'string', description: 'Why this call, in one or two sentences.' }
    },
    required: ['subgoal', 'confidence', 'rationale']
  }
}

export function toolParam(t: ToolDescriptor): Tool {
  const { $schema: _ignored, ...schema } = t.inputSchema as Record<string, unknown>
  const properties = { ...((schema.properties as Record<string, unknown>) ?? {}), [REPORT_FIELD]: reportSchema() }
  const required = [...((schema.required as string[]) ?? []), REPORT_FIELD]
  return {
    name: t.name,
    description: `${t.description} (risk: ${t.risk})`,
    input_schema: { ...schema, type: 'object', properties, required }
  }
}

function tail(text: string, max: number): string {
  return text.length <= max ? text : `[… ${text.length - max} earlier characters cut]\n${text.slice(-max)}`
}

export function renderState(input: DecisionInput): string {
  const { spec, state, iteration } = input
  const inv = state.invariants ?? spec.invariants
  const b = inv.budget ?? {}
  const used = state.usage
  const out: string[] = []
  out.push(`# Task\n${spec.task.trim()}`)
  out.push(
    (spec.termination.success
      ? `# Success\nThe loop succeeds when this condition (CEL) holds after an iteration: ${spec.termination.success}`
      : `# Success\nThe loop succeeds when a call to \`${spec.termination.successTool}\` succeeds` +
        (describeVerify(spec.termination) ? ` (it runs ${describeVerify(spec.termination)}).` : '.'))
  )
  out.push(`# Iteration\n${iteration} of at most ${inv.maxIterations}`)
  const budget = [
    b.tokens !== undefined ? `tokens ${used.inputTokens + used.outputTokens} of ${b.tokens}` : null,
    b.usd !== undefined ? `USD ${used.costUsd.toFixed(4)} of ${b.usd}` : null,
    b.seconds !== undefined ? `seconds ${Math.round(state.activeMs / 1000)} of ${b.seconds}` : null
  ].filter(Boolean)
  out.push(
    [
      '# Invariants (breaking one stops the loop and calls a human)',
      `- maxIterations: ${inv.maxIterations}: the loop ends after this many iterations.`,
      `- progressEvery: ${inv.progressEvery}: make progress (a new fact, a passing check, a changed output) at least every ${inv.progressEvery} iterations.`,
      `- sameActionLimit: ${inv.sameActionLimit}: the same tool call ${inv.sameActionLimit} times in a row counts as looping.`,
      `- toolErrorStreak: ${inv.toolErrorStreak}: ${inv.toolErrorStreak} failed tool calls in a row call a human.`,
      `- confidenceFloor: ${inv.confidenceFloor}: a decision with lower confidence calls a human.`,
      `- unknownTool: only the tools listed may be called.`,
      `- budget: ${budget.length ? budget.join('; ') : 'none set'}.`,
      // The spec's own: the model is told each one, so it can keep to it rather than be stopped by it.
      ...inv.custom.map((c) => `- ${c.name} (${c.when === 'before-call' ? 'checked on every call before it runs' : 'checked after every iteration'}): must hold: ${c.expr}. If not: ${c.remediation}`)
    ].join('\n')
  )
  const memory = Object.keys(state.memory).length ? tail(JSON.stringify(state.memory, null, 1), MEMORY_CHARS) : '(empty)'
  out.push(
    [
      '# Working memory',
      `Current subgoal: ${state.subgoal || '(none yet)'}`,
      `Facts:\n${state.facts.length ? state.facts.map((f) => `- ${f}`).join('\n') : '(none)'}`,
      `Memory: ${memory}`
    ].join('\n')
  )
  const o = state.lastObservation
  out.push(
    o
      ? `# Last observation\ntool: ${o.tool}; ok: ${o.ok}; exit code: ${o.exitCode ?? 'none'}\nsummary: ${o.summary}\noutput (tail):\n\`\`\`\n${tail(o.excerpt, TAIL_CHARS)}\n\`\`\``
      : '# Last observation\nNone yet: this is the first iteration.'
  )
  if (state.rejections.length) {
    const lines = state.rejections.map(
      (r) => `- iteration ${r.iteration}: ${r.action.tool} ${JSON.stringify(r.action.args).slice(0, 500)}: rejected by ${r.by}, reason: ${r.reason}`
    )
    out.push(`# Proposals that were rejected, by a human or an invariant (since the last observation)\nDo not propose them again as they were; act on the reasons.\n${lines.join('\n')}`)
  }
  out.push('Choose exactly one tool call now.')
  return out.join('\n\n')
}

export function buildRequest(spec: Spec, input: DecisionInput): MessageCreateParamsNonStreaming {
  return {
    model: spec.model,
    max_tokens: spec.maxTokens,
    ...(spec.temperature !== undefined ? { temperature: spec.temperature } : {}),
    system: systemPrompt(spec),
    tools: input.tools.map(toolParam),
    tool_choice: { type: 'any', disable_parallel_tool_use: true },
    messages: [{ role: 'user', content: renderState(input) }]
  }
}
