/**
 * The CEL environment of a spec's own invariants and success predicate: the variables they
 * may read, with their types, so an expression is type-checked when the spec is validated.
 *
 *   state        iteration, subgoal, facts, memory, errorStreak, confidence (-1 before the
 *                first decision), elapsedSeconds, usage { inputTokens, outputTokens, costUsd }
 *   call         the proposed call (before-call) or the iteration's call: tool, args, risk
 *                (tool is "" when there is none)
 *   observation  the last observation: tool, ok, exitCode (-1 when none), summary, excerpt
 *                (tool is "" before the first one)
 */
import type { Environment, ObjectSchema } from '@marcbachmann/cel-js'
import { celJs } from '../../lazy-packages'
import type { Observation } from '../../../../shared/events'
import type { Action } from '../../../../shared/spec'
import type { LoopState } from '../../../../shared/state'
import { elapsedMs } from '../builtin'

const VARIABLES = {
  state: {
    iteration: 'int',
    subgoal: 'string',
    facts: 'list<string>',
    memory: 'map<string, dyn>',
    errorStreak: 'int',
    confidence: 'double',
    elapsedSeconds: 'double',
    usage: { inputTokens: 'int', outputTokens: 'int', costUsd: 'double' }
  },
  call: { tool: 'string', args: 'map<string, dyn>', risk: 'string' },
  observation: { tool: 'string', ok: 'bool', exitCode: 'int', summary: 'string', excerpt: 'string' }
} as const

/** Structural limits, checked when an expression is parsed: no expression is unboundedly large. */
const LIMITS = { maxAstNodes: 2_000, maxDepth: 64, maxListElements: 200, maxMapEntries: 200, maxCallArguments: 16 }

let shared: Environment | null = null

export function celEnvironment(): Environment {
  if (!shared) {
    shared = new (celJs().Environment)({ limits: LIMITS })
    for (const [name, schema] of Object.entries(VARIABLES)) shared.registerVariable({ name, schema: schema as unknown as ObjectSchema })
  }
  return shared
}

export interface CelProblem {
  message: string
  line: number
  column: number
}

function position(expr: string, offset: number): { line: number; column: number } {
  const before = expr.slice(0, Math.max(0, offset)).split('\n')
  return { line: before.length, column: before[before.length - 1].length + 1 }
}

/** Why this is not a usable boolean expression (syntax, an unknown field, a type error), with where; null if it is. */
export function celProblem(expr: string): CelProblem | null {
  let result: ReturnType<Environment['check']>
  try {
    result = celEnvironment().check(expr)
  } catch (err) {
    const e = err as Error & { summary?: string; range?: { start: number } }
    return { message: e.summary ?? e.message.split('\n')[0], ...position(expr, e.range?.start ?? 0) }
  }
  if (!result.valid) {
    const e = result.error as Error & { summary?: string; range?: { start: number } }
    return { message: e.summary ?? e.message.split('\n')[0], ...position(expr, e.range?.start ?? 0) }
  }
  if (result.type !== 'bool') return { message: `the expression is a ${result.type}, not a bool (true or false)`, line: 1, column: 1 }
  return null
}

export function describeCelProblem(p: CelProblem): string {
  return `CEL error at line ${p.line}, column ${p.column}: ${p.message}`
}

export interface CelInputs {
  state: LoopState
  call: (Action & { risk?: string }) | null
  observation: Observation | null
  now: number
}

const int = (n: number | null | undefined, none = -1) => BigInt(Math.trunc(n ?? none))

/** The variables an expression reads, from the loop's state (ints as CEL ints). */
export function celContext({ state, call, observation, now }: CelInputs): Record<string, unknown> {
  return {
    state: {
      iteration: int(state.iteration),
      subgoal: state.subgoal,
      facts: state.facts,
      memory: state.memory,
      errorStreak: int(state.errorStreak),
      confidence: state.lastConfidence ?? -1,
      elapsedSeconds: elapsedMs(state, now) / 1000,
      usage: { inputTokens: int(state.usage.inputTokens), outputTokens: int(state.usage.outputTokens), costUsd: state.usage.costUsd }
    },
    call: { tool: call?.tool ?? '', args: call?.args ?? {}, risk: call?.risk ?? '' },
    observation: {
      tool: observation?.tool ?? '',
      ok: observation?.ok ?? false,
      exitCode: int(observation?.exitCode),
      summary: observation?.summary ?? '',
      excerpt: observation?.excerpt ?? ''
    }
  }
}
