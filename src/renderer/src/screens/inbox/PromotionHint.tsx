/**
 * The track record's suggestion for this call's tool, with its evidence: Allow adds the rule
 * (scope: this spec); Not now hides it on this card. Nothing is promoted without the click.
 */
import { useEffect, useState } from 'react'
import type { PromotionSuggestion } from '../../../../shared/track-record'
import { useCommand } from '../../lib/use-command'
import { andon } from '../../transport'
import { usePromotionStreak } from '../settings/promotion-streak'

interface Props {
  loopId: string
  callId: string
  tool: string
  specName: string
}

export function PromotionHint({ loopId, callId, tool, specName }: Props) {
  const streak = usePromotionStreak()
  const [suggestion, setSuggestion] = useState<PromotionSuggestion | null>(null)
  const [hidden, setHidden] = useState(false)
  const [added, setAdded] = useState<string | null>(null)
  const { busy, error, run } = useCommand()

  useEffect(() => {
    let stale = false
    // A summary beside the decision: when it cannot be read, the card works without it.
    andon.trackRecordForLoop({ loopId, streak }).then(
      (r) => !stale && setSuggestion(r.suggestions.find((s) => s.tool === tool) ?? null),
      () => undefined
    )
    return () => {
      stale = true
    }
  }, [loopId, callId, tool, streak])

  if (!suggestion || hidden) return null
  if (added) {
    return (
      <p className="ok" data-testid="promotion-added" role="status">
        Added {added}: from the next call, matching calls run without asking. This one still waits for you.
      </p>
    )
  }
  const allow = async () => {
    const rule = await run('allow', () =>
      andon.addApprovalRule({ effect: 'allow', pattern: suggestion.pattern, scope: { spec: specName }, why: suggestion.text, from: { loopId, callId } })
    )
    if (rule) setAdded(`rule #${rule.id} allow ${rule.pattern}`)
  }
  return (
    <aside className="promotion card" data-testid="promotion-hint" aria-label="Suggested rule">
      <p>
        <strong>Track record:</strong> <span data-testid="promotion-text">{suggestion.text}</span>
      </p>
      <div className="actions">
        <button className="primary" data-testid="promotion-allow" disabled={busy} onClick={() => void allow()}>
          Allow {suggestion.pattern}
        </button>
        <button data-testid="promotion-not-now" onClick={() => setHidden(true)}>
          Not now
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </aside>
  )
}
