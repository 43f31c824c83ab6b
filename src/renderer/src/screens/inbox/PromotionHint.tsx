/**
 * The track record's suggestion for this call's tool, with its evidence: Allow adds the rule
 * (scope: this spec); Not now hides it on this card. Nothing is promoted without the click.
 * A suggestion that does not cover the waiting call says it is about other calls of the tool; a
 * loop descended from an import gets none (the core gives it no spec-scoped allow rule).
 * `data-loaded` on the slot says the record (and the check against this call) has been read.
 */
import { useEffect, useState } from 'react'
import type { Action } from '../../../../shared/spec'
import type { PromotionSuggestion } from '../../../../shared/track-record'
import { useCommand } from '../../lib/use-command'
import { useRuleCovers } from '../../lib/use-rule-covers'
import { andon } from '../../transport'
import { usePromotionStreak } from '../settings/promotion-streak'

interface Props {
  loopId: string
  callId: string
  /** The waiting call, as proposed. */
  action: Action
  specName: string
  importedLineage: boolean
}

export function PromotionHint({ loopId, callId, action, specName, importedLineage }: Props) {
  const streak = usePromotionStreak()
  const readKey = JSON.stringify([loopId, callId, action.tool, streak])
  const [read, setRead] = useState<{ key: string; suggestion: PromotionSuggestion | null } | null>(null)
  const [hidden, setHidden] = useState(false)
  const [added, setAdded] = useState<string | null>(null)
  const { busy, error, run } = useCommand()

  useEffect(() => {
    if (importedLineage) return
    let stale = false
    const suggestionFor = (suggestion: PromotionSuggestion | null) => !stale && setRead({ key: readKey, suggestion })
    // A summary beside the decision: when it cannot be read, the card works without it.
    andon.trackRecordForLoop({ loopId, streak }).then(
      (r) => suggestionFor(r.suggestions.find((s) => s.tool === action.tool) ?? null),
      () => suggestionFor(null)
    )
    return () => {
      stale = true
    }
  }, [readKey, importedLineage])

  const suggestion = !importedLineage && read?.key === readKey ? read.suggestion : null
  const coverage = useRuleCovers(loopId, 'allow', suggestion?.pattern ?? null, action)
  const loaded = importedLineage || (read?.key === readKey && coverage?.state !== 'checking')
  const covers = coverage?.state === 'known' && coverage.covers

  return (
    <div className="promotion-slot" data-testid="promotion-slot" data-loaded={loaded}>
      {added ? (
        <p className="ok" data-testid="promotion-added" role="status">
          Added {added}: from the next call, matching calls run without asking. This one still waits for you.
        </p>
      ) : (
        loaded && suggestion && !hidden && <Hint suggestion={suggestion} covers={covers} tool={action.tool} busy={busy} onAllow={() => void allow(suggestion)} onHide={() => setHidden(true)} />
      )}
      {error && <p className="error">{error}</p>}
    </div>
  )

  async function allow(s: PromotionSuggestion) {
    const rule = await run('allow', () => andon.addApprovalRule({ effect: 'allow', pattern: s.pattern, scope: { spec: specName }, why: s.text, from: { loopId, callId } }))
    if (rule) setAdded(`rule #${rule.id} allow ${rule.pattern}`)
  }
}

interface HintProps {
  suggestion: PromotionSuggestion
  covers: boolean
  tool: string
  busy: boolean
  onAllow: () => void
  onHide: () => void
}

function Hint({ suggestion, covers, tool, busy, onAllow, onHide }: HintProps) {
  return (
    <aside className="promotion card" data-testid="promotion-hint" data-covers={covers} aria-label="Suggested rule">
      <p>
        <strong>Track record:</strong> <span data-testid="promotion-text">{suggestion.text}</span>
      </p>
      {!covers && (
        <p className="hint" data-testid="promotion-other-calls">
          This is about other {tool} calls: {suggestion.pattern} does not cover the call waiting here, which it would leave to you.
        </p>
      )}
      <div className="actions">
        <button className="primary" data-testid="promotion-allow" disabled={busy} onClick={onAllow}>
          Allow {suggestion.pattern}
        </button>
        <button data-testid="promotion-not-now" onClick={onHide}>
          Not now
        </button>
      </div>
    </aside>
  )
}
