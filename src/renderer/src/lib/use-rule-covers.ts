/**
 * Whether a rule pattern would match a call, asked of the core's gate matcher (ruleCoversCall):
 * the renderer has no copy of it, so what the inbox says a rule covers is what the gate will do.
 */
import { useEffect, useState } from 'react'
import { rulePatternProblem, type RuleEffect } from '../../../shared/approval-rules'
import type { Action } from '../../../shared/spec'
import { andon, errorMessage } from '../transport'

export type Coverage = { state: 'checking' } | { state: 'known'; covers: boolean } | { state: 'unknown'; error: string }

/** A pause in typing before asking, so a pattern typed key by key is checked once. */
const SETTLE_MS = 150

/** Null while there is nothing to check (no call, or a pattern that does not parse). */
export function useRuleCovers(loopId: string, effect: RuleEffect, pattern: string | null, action: Action | null): Coverage | null {
  const key = pattern !== null && action !== null && rulePatternProblem(pattern) === null ? JSON.stringify({ loopId, effect, pattern, action }) : null
  const [answer, setAnswer] = useState<{ key: string; coverage: Coverage } | null>(null)
  useEffect(() => {
    if (key === null) return
    let stale = false
    const timer = setTimeout(() => {
      const input = JSON.parse(key) as { loopId: string; effect: RuleEffect; pattern: string; action: Action }
      andon.ruleCoversCall(input).then(
        ({ covers }) => !stale && setAnswer({ key, coverage: { state: 'known', covers } }),
        (err: unknown) => !stale && setAnswer({ key, coverage: { state: 'unknown', error: errorMessage(err) } })
      )
    }, SETTLE_MS)
    return () => {
      stale = true
      clearTimeout(timer)
    }
  }, [key])
  if (key === null) return null
  // An answer about another pattern or call says nothing about this one.
  return answer?.key === key ? answer.coverage : { state: 'checking' }
}
