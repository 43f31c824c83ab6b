/** The lines exchanged with the agent: the `decide` message built from state, and its answer checked. */
import type { z } from 'zod'
import {
  PROCESS_PROTOCOL_VERSION,
  ProcessAgentDecision,
  ProcessAgentError,
  type ProcessAgentReply,
  type ProcessDecideMessage
} from '../../../../shared/process-protocol'
import { PolicyError, type DecisionInput } from '../policy'
import { startOfLine } from './agent-process'

/** How much of a rejected answer line is recorded with the failure. */
const RECORDED_CHARS = 4000

export function decideMessage(input: DecisionInput, now: number): ProcessDecideMessage {
  const s = input.state
  const obs = s.lastObservation
  const limits = s.invariants.budget
  const activeMs = s.activeMs + (s.runningSince === null ? 0 : Math.max(0, now - s.runningSince))
  return {
    type: 'decide',
    protocol: PROCESS_PROTOCOL_VERSION,
    loopId: input.loopId,
    iteration: input.iteration,
    task: input.spec.task,
    subgoal: s.subgoal,
    facts: s.facts,
    memory: s.memory,
    lastObservation: obs && { tool: obs.tool, ok: obs.ok, exitCode: obs.exitCode, summary: obs.summary, excerpt: obs.excerpt },
    rejections: s.rejections.map((r) => ({ action: r.action, reason: r.reason, by: r.by })),
    tools: input.tools.map((t) => ({ name: t.name, description: t.description, risk: t.risk, inputSchema: t.inputSchema })),
    budget: {
      used: { ...s.usage, seconds: Math.round(activeMs / 100) / 10 },
      limits: { tokens: limits.tokens ?? null, usd: limits.usd ?? null, seconds: limits.seconds ?? null, iterations: s.invariants.maxIterations }
    }
  }
}

function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(the answer)'}: ${i.message}`).join('; ')
}

/** The answer line as a decision or an `{error}`; anything else is a malformed response that names what is wrong. */
export function parseReply(line: string): ProcessAgentReply {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    throw new PolicyError('malformed-response', `the agent's answer is not JSON: ${startOfLine(line)} (stdout carries only answers; logs go to stderr)`, undefined, line.slice(0, RECORDED_CHARS))
  }
  const isError = typeof value === 'object' && value !== null && 'error' in value
  const parsed = (isError ? ProcessAgentError : ProcessAgentDecision).safeParse(value)
  if (!parsed.success) {
    throw new PolicyError('malformed-response', `the agent's answer does not match the decision schema: ${problems(parsed.error)}; it starts ${startOfLine(line)}`, undefined, line.slice(0, RECORDED_CHARS))
  }
  return parsed.data
}
