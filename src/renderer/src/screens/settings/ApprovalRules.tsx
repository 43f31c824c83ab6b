/**
 * The operator's approval rules: the live ones (effect, pattern, scope, who, when, why, the card
 * they came from), revoked ones (who revoked them, when, why), revoking with a why, and a form to
 * add a rule with the pattern checked as it is typed. Also the streak the track record needs
 * before it suggests allowing a tool.
 */
import { useEffect, useState } from 'react'
import { rulePatternProblem, type RuleEffect } from '../../../../shared/approval-rules'
import type { ApprovalRule } from '../../../../shared/approvals-contract'
import { MIN_PROMOTION_STREAK } from '../../../../shared/track-record'
import { RulePatternField } from '../../components/RulePatternField'
import { SubmitForm } from '../../components/SubmitForm'
import { fmtDateTime } from '../../lib/format'
import { ruleSentence, scopeWords } from '../../lib/rule-text'
import { useCommand } from '../../lib/use-command'
import { selectLoop } from '../../store/sync'
import { andon, errorMessage } from '../../transport'
import { MAX_PROMOTION_STREAK, setPromotionStreak, usePromotionStreak } from './promotion-streak'

export function ApprovalRules() {
  const [rules, setRules] = useState<ApprovalRule[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const load = () =>
    andon.listApprovalRules({ includeRevoked: true }).then(
      (r) => setRules(r),
      (err: unknown) => setLoadError(errorMessage(err))
    )
  useEffect(() => {
    void load()
  }, [])
  const live = rules?.filter((r) => !r.revoked) ?? []
  const revoked = rules?.filter((r) => r.revoked) ?? []

  return (
    <section className="card approval-rules" data-testid="approval-rules" data-loaded={rules !== null || loadError !== null} aria-labelledby="approval-rules-title">
      <h3 id="approval-rules-title">Approval rules</h3>
      <p className="muted">
        Before the autonomy mode, a matching <strong>deny</strong> refuses a call, else an <strong>ask</strong> waits for you, else an <strong>allow</strong> runs it without
        asking. A new or revoked rule applies from the next proposed call, running loops included. A spec’s own rules are shown with the spec on the Launch form.
      </p>
      {loadError && <p className="error">{loadError}</p>}
      <h4>Active ({live.length})</h4>
      {rules && live.length === 0 ? <p className="muted">No rules: the autonomy mode decides every call.</p> : <RuleTable rules={live} onRevoked={() => void load()} />}
      <AddRule onAdded={() => void load()} />
      <h4>Revoked ({revoked.length})</h4>
      {revoked.length === 0 ? <p className="muted">None.</p> : <RuleTable rules={revoked} onRevoked={() => void load()} />}
      <PromotionStreak />
    </section>
  )
}

function RuleTable({ rules, onRevoked }: { rules: ApprovalRule[]; onRevoked: () => void }) {
  return (
    <table className="inv-table rules-table" data-testid="rules-table">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Effect</th>
          <th scope="col">Pattern</th>
          <th scope="col">Scope</th>
          <th scope="col">Added</th>
          <th scope="col">Why</th>
          <th scope="col">From</th>
          <th scope="col">{rules[0]?.revoked ? 'Revoked' : 'Revoke'}</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((r) => (
          <tr key={r.id} data-testid="rule-row" data-rule-id={r.id} data-pattern={r.pattern} data-effect={r.effect}>
            <td>{r.id}</td>
            <td className={`rule-${r.effect}`}>{r.effect}</td>
            <td>
              <code>{r.pattern}</code>
            </td>
            <td>{r.scope === 'all' ? 'every loop' : `spec ${r.scope.spec}`}</td>
            <td>
              {r.by}, {fmtDateTime(r.at)}
            </td>
            <td>{r.why || <span className="muted">—</span>}</td>
            <td>
              {r.from ? (
                <button className="link" data-testid="rule-from" onClick={() => selectLoop(r.from!.loopId)}>
                  {r.from.loopId}
                  {r.from.callId ? ` · call ${r.from.callId.slice(0, 12)}` : ''}
                </button>
              ) : (
                <span className="muted">added here</span>
              )}
            </td>
            <td>{r.revoked ? <span data-testid="rule-revoked">{`${r.revoked.by}, ${fmtDateTime(r.revoked.at)}${r.revoked.why ? `: ${r.revoked.why}` : ''}`}</span> : <Revoke rule={r} onRevoked={onRevoked} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Revoke({ rule, onRevoked }: { rule: ApprovalRule; onRevoked: () => void }) {
  const [why, setWhy] = useState('')
  const { busy, error, run } = useCommand()
  return (
    <SubmitForm className="inline-form" onSubmit={async () => (await run('revoke', () => andon.revokeApprovalRule({ id: rule.id, why: why.trim() }))) && onRevoked()}>
      <input data-testid="revoke-why" aria-label={`Why revoke rule #${rule.id} (recorded)`} value={why} maxLength={2000} onChange={(e) => setWhy(e.target.value)} placeholder="why" />
      <button type="submit" className="danger" data-testid="revoke-button" disabled={busy}>
        Revoke
      </button>
      {error && <span className="error">{error}</span>}
    </SubmitForm>
  )
}

function AddRule({ onAdded }: { onAdded: () => void }) {
  const [effect, setEffect] = useState<RuleEffect>('allow')
  const [pattern, setPattern] = useState('')
  const [spec, setSpec] = useState('')
  const [why, setWhy] = useState('')
  const { busy, error, run } = useCommand()
  const problem = pattern === '' ? null : rulePatternProblem(pattern)
  const scope = spec.trim() === '' ? ('all' as const) : { spec: spec.trim() }
  const sentence = pattern !== '' && !problem ? ruleSentence(effect, pattern, scope) : null

  async function add() {
    if (pattern === '' || problem) return
    const rule = await run('add rule', () => andon.addApprovalRule({ effect, pattern, scope, why: why.trim() }))
    if (!rule) return
    setPattern('')
    setWhy('')
    onAdded()
  }

  return (
    <SubmitForm className="add-rule" data-testid="add-rule" aria-label="Add a rule" onSubmit={add}>
      <h4>Add a rule</h4>
      <div className="form-grid">
        <label>
          Effect
          <select data-testid="add-rule-effect" value={effect} onChange={(e) => setEffect(e.target.value as RuleEffect)}>
            <option value="allow">allow: run without asking</option>
            <option value="ask">ask: always wait for the operator</option>
            <option value="deny">deny: refuse, never run</option>
          </select>
        </label>
        <label>
          Spec (empty: every loop)
          <input data-testid="add-rule-spec" value={spec} maxLength={120} onChange={(e) => setSpec(e.target.value)} placeholder="every loop" />
        </label>
        <label>
          Why
          <input data-testid="add-rule-why" value={why} maxLength={2000} onChange={(e) => setWhy(e.target.value)} placeholder="recorded with the rule" />
        </label>
      </div>
      <RulePatternField
        name="add-rule"
        coversId="add-rule-covers"
        value={pattern}
        onChange={setPattern}
        problem={problem}
        covers={sentence ?? `A pattern is a tool (read_file), tool(argument pattern) (run_command(npm test:*), read_file(src/**)) or tool(arg=pattern); the rule applies ${scopeWords(scope)}.`}
        placeholder="run_command(npm test:*)"
      />
      <div className="actions">
        <button type="submit" className="primary" data-testid="add-rule-submit" disabled={busy || pattern === '' || problem !== null}>
          Add rule
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </SubmitForm>
  )
}

function PromotionStreak() {
  const streak = usePromotionStreak()
  const [text, setText] = useState(String(streak))
  const n = Number(text)
  const valid = Number.isInteger(n) && n >= MIN_PROMOTION_STREAK && n <= MAX_PROMOTION_STREAK
  return (
    <div className="promotion-streak">
      <h4>Promotion suggestions</h4>
      <label>
        Suggest allowing a tool after this many unedited approvals in a row (at least {MIN_PROMOTION_STREAK}; kept in this browser)
        <input
          data-testid="promotion-streak"
          inputMode="numeric"
          value={text}
          aria-invalid={!valid}
          onChange={(e) => {
            setText(e.target.value)
            const v = Number(e.target.value)
            if (Number.isInteger(v) && v >= MIN_PROMOTION_STREAK && v <= MAX_PROMOTION_STREAK) setPromotionStreak(v)
          }}
        />
      </label>
      {!valid && <p className="error">A whole number from {MIN_PROMOTION_STREAK} to {MAX_PROMOTION_STREAK}; {streak} is used meanwhile.</p>}
    </div>
  )
}
