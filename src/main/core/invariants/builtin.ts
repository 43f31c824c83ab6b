/**
 * The built-in invariants checked after every iteration: each a pure function of state. What a
 * failure does and what it suggests is in the registry.
 */
import type { InvariantResult } from '../../../shared/events'
import type { LoopState } from '../../../shared/state'
import { invariantDef } from './registry'

export function elapsedMs(s: LoopState, now: number): number {
  return s.activeMs + (s.runningSince === null ? 0 : Math.max(0, now - s.runningSince))
}

/** Budget left, or a description of the one exceeded. */
export function budgetExceeded(s: LoopState, now: number): string | null {
  const b = s.invariants.budget
  const tokens = s.usage.inputTokens + s.usage.outputTokens
  if (b.tokens !== undefined && tokens >= b.tokens) return `tokens ${tokens} ≥ budget ${b.tokens}`
  if (b.usd !== undefined && s.usage.costUsd >= b.usd) return `cost $${s.usage.costUsd.toFixed(4)} ≥ budget $${b.usd}`
  const secs = elapsedMs(s, now) / 1000
  if (b.seconds !== undefined && secs >= b.seconds) return `running time ${secs.toFixed(1)} s ≥ budget ${b.seconds} s`
  return null
}

export function checkInvariants(s: LoopState, now: number): InvariantResult[] {
  const inv = s.invariants
  const results: InvariantResult[] = []
  const push = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail, remediation: invariantDef(name).remediation })

  push(
    'iteration-cap',
    s.iteration < inv.maxIterations,
    `iteration ${s.iteration} of ${inv.maxIterations}`
  )
  const over = budgetExceeded(s, now)
  push('budget', over === null, over ?? 'within budget')
  const since = s.iteration - s.lastProgressIteration
  push(
    'progress',
    since < inv.progressEvery,
    `${since} iteration(s) since the last progress (limit ${inv.progressEvery})`
  )
  const recent = s.recentActionKeys.slice(-inv.sameActionLimit)
  const looping = recent.length >= inv.sameActionLimit && recent.every((k) => k === recent[0])
  push(
    'no-looping',
    !looping,
    looping ? `the same call ${inv.sameActionLimit}× in a row: ${recent[0].slice(0, 200)}` : 'no repeated call'
  )
  push(
    'tool-error-streak',
    s.errorStreak < inv.toolErrorStreak,
    `${s.errorStreak} failed tool call(s) in a row (limit ${inv.toolErrorStreak})`
  )
  const conf = s.lastConfidence
  push(
    'confidence-floor',
    conf === null || conf >= inv.confidenceFloor,
    conf === null ? 'no decision yet' : `confidence ${conf.toFixed(2)} (floor ${inv.confidenceFloor})`
  )
  return results
}
