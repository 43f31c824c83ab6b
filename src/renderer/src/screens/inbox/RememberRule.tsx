/**
 * "Always allow this…" / "Always deny this…" on a waiting call: the proposed pattern (editable,
 * checked as it is typed by the same parser the core uses), its scope and a why, and in words
 * what the rule will cover. Confirming decides the call and adds the rule in one command.
 */
import { useState } from 'react'
import { rulePatternProblem, suggestRulePattern } from '../../../../shared/approval-rules'
import type { Action } from '../../../../shared/spec'
import { ruleSentence } from '../../lib/rule-text'
import { useCommand } from '../../lib/use-command'
import { refreshInboxSoon } from '../../store/sync'
import { andon } from '../../transport'

interface Props {
  effect: 'allow' | 'deny'
  loopId: string
  callId: string
  version: number | undefined
  specName: string
  /** The call as it would run (with the operator's edits, if any). */
  action: Action
  editedArgs: Record<string, unknown> | undefined
  onCancel: () => void
}

export function RememberRule({ effect, loopId, callId, version, specName, action, editedArgs, onCancel }: Props) {
  const [pattern, setPattern] = useState(() => suggestRulePattern(action) ?? '')
  const [scope, setScope] = useState<'spec' | 'all'>('spec')
  const [why, setWhy] = useState('')
  const { busy, error, run } = useCommand()
  const problem = rulePatternProblem(pattern)
  const ruleScope = scope === 'all' ? ('all' as const) : { spec: specName }
  const sentence = problem ? null : ruleSentence(effect, pattern, ruleScope)
  const otherTool = !problem && !(pattern === action.tool || pattern.startsWith(`${action.tool}(`))
  const verb = effect === 'allow' ? 'Approve and always allow' : 'Reject and always deny'

  async function confirm() {
    if (problem || busy) return
    await run(verb.toLowerCase(), () =>
      andon.decideApproval({
        loopId,
        callId,
        decision: effect === 'allow' ? 'approve' : 'reject',
        editedArgs: effect === 'allow' ? editedArgs : undefined,
        reason: effect === 'deny' ? why.trim() || `always denied: ${pattern}` : '',
        remember: { pattern, scope: ruleScope, why: why.trim() || undefined },
        expectedVersion: version
      })
    )
    refreshInboxSoon()
  }

  return (
    <form
      className={`remember-rule remember-${effect}`}
      data-testid={`remember-${effect}`}
      onSubmit={(e) => {
        e.preventDefault()
        void confirm()
      }}
    >
      <h4>{effect === 'allow' ? 'Always allow this' : 'Always deny this'}</h4>
      <label>
        Pattern
        <input
          data-testid="remember-pattern"
          value={pattern}
          spellCheck={false}
          aria-invalid={problem !== null}
          aria-describedby={`remember-${effect}-covers`}
          onChange={(e) => setPattern(e.target.value)}
        />
      </label>
      <p id={`remember-${effect}-covers`} aria-live="polite" className={problem ? 'error' : 'hint'} data-testid="remember-covers">
        {problem ?? sentence}
      </p>
      {otherTool && <p className="warn">This pattern names another tool than this call’s ({action.tool}): this call is decided now, but the rule will not cover calls like it.</p>}
      <fieldset className="inline-choice">
        <legend>Scope</legend>
        <label>
          <input type="radio" name={`remember-${effect}-scope`} data-testid="remember-scope-spec" checked={scope === 'spec'} onChange={() => setScope('spec')} /> this spec ({specName})
        </label>
        <label>
          <input type="radio" name={`remember-${effect}-scope`} data-testid="remember-scope-all" checked={scope === 'all'} onChange={() => setScope('all')} /> every loop
        </label>
      </fieldset>
      <label>
        Why{effect === 'deny' ? ' (the loop sees it as the rejection’s reason)' : ''}
        <input data-testid="remember-why" value={why} maxLength={2000} onChange={(e) => setWhy(e.target.value)} placeholder="recorded with the rule" />
      </label>
      <div className="actions">
        <button type="submit" className={effect === 'allow' ? 'primary' : 'danger'} data-testid="remember-confirm" disabled={busy || problem !== null}>
          {verb}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </form>
  )
}
