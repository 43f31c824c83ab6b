/**
 * On the Launch form, for the chosen spec: its own approval rules (read-only: they change by
 * editing the spec) and its track record per tool, with the allow rules the record suggests and
 * an Allow button for each (nothing is promoted without it).
 */
import { useEffect, useState } from 'react'
import type { ApprovalRulesSpec } from '../../../shared/spec'
import type { TrackRecord } from '../../../shared/track-record'
import { useCommand } from '../lib/use-command'
import { andon, errorMessage } from '../transport'
import { usePromotionStreak } from './settings/promotion-streak'

export function SpecRules({ approvals }: { approvals: ApprovalRulesSpec | undefined }) {
  const rows = approvals ? (['deny', 'ask', 'allow'] as const).flatMap((effect) => approvals[effect].map((pattern) => ({ effect, pattern }))) : []
  return (
    <section className="spec-rules" data-testid="spec-rules" aria-labelledby="spec-rules-title">
      <h3 id="spec-rules-title">The spec’s approval rules</h3>
      {rows.length === 0 ? (
        <p className="muted">None in the spec (approvals: allow / ask / deny). The operator’s rule set is in Settings.</p>
      ) : (
        <>
          <ul className="rule-list">
            {rows.map((r) => (
              <li key={`${r.effect}:${r.pattern}`} data-testid="spec-rule">
                <span className={`rule-${r.effect}`}>{r.effect}</span> <code>{r.pattern}</code>
              </li>
            ))}
          </ul>
          <p className="hint">Part of the spec, so not revocable here: edit the spec’s approvals to change them. Rules from the inbox are in Settings.</p>
        </>
      )}
    </section>
  )
}

export function SpecTrackRecord({ specName }: { specName: string }) {
  const streak = usePromotionStreak()
  const [record, setRecord] = useState<TrackRecord | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [added, setAdded] = useState<Record<string, number>>({})
  const { busy, error, run } = useCommand()
  const load = (stale = { now: false }) =>
    andon.trackRecord({ specName, streak }).then(
      (r) => !stale.now && (setRecord(r), setLoadError(null)),
      (err: unknown) => !stale.now && setLoadError(errorMessage(err))
    )
  useEffect(() => {
    const stale = { now: false }
    void load(stale)
    return () => {
      stale.now = true
    }
  }, [specName, streak])

  async function allow(pattern: string, why: string) {
    const rule = await run('allow', () => andon.addApprovalRule({ effect: 'allow', pattern, scope: { spec: specName }, why }))
    if (rule) setAdded({ ...added, [pattern]: rule.id })
  }

  return (
    <section className="track-record" data-testid="track-record" aria-labelledby="track-record-title">
      <h3 id="track-record-title">Track record of {specName}</h3>
      {loadError && <p className="error">{loadError}</p>}
      {record && record.tools.length === 0 && <p className="muted">No calls yet from loops of this spec.</p>}
      {record && record.tools.length > 0 && (
        <>
          <table className="inv-table track-table" data-testid="track-table">
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">Proposals</th>
                <th scope="col">Ran without asking</th>
                <th scope="col">Approved</th>
                <th scope="col">Edited</th>
                <th scope="col">Rejected</th>
                <th scope="col">Answered</th>
                <th scope="col">Failed</th>
              </tr>
            </thead>
            <tbody>
              {record.tools.map((t) => (
                <tr key={t.tool} data-testid="track-row" data-tool={t.tool}>
                  <td>
                    <code>{t.tool}</code>
                  </td>
                  <td>{t.proposals}</td>
                  <td title={`${t.ranUnasked.byMode} by the autonomy mode, ${t.ranUnasked.byRule} by an allow rule`}>{t.ranUnasked.total}</td>
                  <td data-testid="track-approved">{t.operator.approved}</td>
                  <td>{t.operator.edited}</td>
                  <td>{t.operator.rejected}</td>
                  <td>{t.operator.answered}</td>
                  <td className={t.runs.failed > 0 ? 'bad' : undefined}>{t.runs.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">
            {record.loops.counted} {record.loops.counted === 1 ? 'loop' : 'loops'}, the latest {record.window.calls} calls
            {record.window.truncated ? ` (older ones left out)` : ''}
            {record.loops.importedExcluded > 0 ? `; ${record.loops.importedExcluded} imported left out` : ''}. A suggestion needs {record.settings.streak} unedited approvals in a row (Settings).
          </p>
        </>
      )}
      {record?.suggestions.map((s) => (
        <div className="promotion" key={s.pattern} data-testid="track-suggestion" data-pattern={s.pattern}>
          <p>{s.text}</p>
          {added[s.pattern] ? (
            <p className="ok" role="status" data-testid="track-suggestion-added">
              Added as rule #{added[s.pattern]} for {specName}.
            </p>
          ) : (
            <button className="primary" data-testid="track-suggestion-allow" disabled={busy} onClick={() => void allow(s.pattern, s.text)}>
              Allow {s.pattern}
            </button>
          )}
        </div>
      ))}
      {record?.withheld.map((w) => (
        <p className="muted" key={w.tool} data-testid="track-withheld">
          {w.text}
        </p>
      ))}
      {error && <p className="error">{error}</p>}
    </section>
  )
}
