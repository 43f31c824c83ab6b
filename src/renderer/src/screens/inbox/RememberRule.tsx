/**
 * "Always allow this…" / "Always deny this…" on a waiting call: the proposed pattern (editable,
 * checked as it is typed by the same parser the core uses), its scope and a why, and in words
 * what the rule will cover. Confirming decides the call and adds the rule in one command.
 *
 * The rule is about the call it decides: for an allow the call as it would run (with the
 * operator's edits), for a deny the call as proposed. Until the operator types a pattern the
 * default follows that call; a pattern the gate's matcher says does not cover it is only added
 * once the operator says so.
 */
import { useLayoutEffect, useMemo, useState, type RefObject } from 'react'
import { rulePatternProblem, suggestRulePattern } from '../../../../shared/approval-rules'
import type { Action } from '../../../../shared/spec'
import { RulePatternField } from '../../components/RulePatternField'
import { SubmitForm } from '../../components/SubmitForm'
import { ruleSentence } from '../../lib/rule-text'
import { useCommand } from '../../lib/use-command'
import { useRuleCovers, type Coverage } from '../../lib/use-rule-covers'
import { refreshInboxSoon } from '../../store/sync'
import { andon } from '../../transport'

interface Props {
  effect: 'allow' | 'deny'
  loopId: string
  callId: string
  version: number | undefined
  specName: string
  /** The loop is or descends from an imported loop: the core gives it no spec-scoped allow rule. */
  importedLineage: boolean
  /** The call decided: as it would run (allow) or as proposed (deny). */
  action: Action
  workspace: string | null
  editedArgs: Record<string, unknown> | undefined
  /** Why the call cannot be decided from here now (the card's arguments do not parse), if so. */
  blocked: string | null
  field: RefObject<HTMLInputElement | null>
  onCancel: () => void
}

export function RememberRule({ effect, loopId, callId, version, specName, importedLineage, action, workspace, editedArgs, blocked, field, onCancel }: Props) {
  const [typed, setTyped] = useState<string | null>(null)
  const suggested = useMemo(() => suggestRulePattern(action, workspace) ?? '', [action, workspace])
  const pattern = typed ?? suggested
  const [scope, setScope] = useState<'spec' | 'all'>('spec')
  const [why, setWhy] = useState('')
  const [anywayFor, setAnywayFor] = useState<string | null>(null)
  const { busy, error, run } = useCommand()
  const problem = rulePatternProblem(pattern)
  const ruleScope = scope === 'all' ? ('all' as const) : { spec: specName }
  const sentence = problem ? null : ruleSentence(effect, pattern, ruleScope)
  const coverage = useRuleCovers(loopId, effect, problem ? null : pattern, action)
  const coverKey = JSON.stringify([pattern, action])
  const uncovered = coverage !== null && coverage.state !== 'checking' && !(coverage.state === 'known' && coverage.covers)
  const ready = !busy && !problem && !blocked && coverage?.state !== 'checking' && (!uncovered || anywayFor === coverKey)
  const verb = effect === 'allow' ? 'Approve and always allow' : 'Reject and always deny'

  // The form opens from a key (Shift+A) or a button: what is typed next is the pattern, never a shortcut.
  useLayoutEffect(() => {
    field.current?.focus()
    field.current?.select()
  }, [field])

  async function confirm() {
    if (!ready) return
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
    <SubmitForm className={`remember-rule remember-${effect}`} data-testid={`remember-${effect}`} onSubmit={confirm}>
      <h4>{effect === 'allow' ? 'Always allow this' : 'Always deny this'}</h4>
      <RulePatternField name="remember" coversId={`remember-${effect}-covers`} value={pattern} onChange={setTyped} problem={problem} covers={sentence ?? ''} field={field} />
      {uncovered && (
        <div className="warn" data-testid="remember-uncovered" role="note">
          <p>{uncoveredWords(coverage, effect, pattern, action)}</p>
          <label>
            <input type="checkbox" data-testid="remember-anyway" checked={anywayFor === coverKey} onChange={(e) => setAnywayFor(e.target.checked ? coverKey : null)} /> add this rule anyway
          </label>
        </div>
      )}
      <fieldset className="inline-choice">
        <legend>Scope</legend>
        <label>
          <input type="radio" name={`remember-${effect}-scope`} data-testid="remember-scope-spec" checked={scope === 'spec'} onChange={() => setScope('spec')} /> this spec ({specName})
        </label>
        <label>
          <input type="radio" name={`remember-${effect}-scope`} data-testid="remember-scope-all" checked={scope === 'all'} onChange={() => setScope('all')} /> every loop
        </label>
      </fieldset>
      {effect === 'allow' && importedLineage && scope === 'spec' && (
        <p className="warn" data-testid="remember-imported" role="note">
          This loop descends from a loop imported from a bundle, which chose the name {specName}: an allow rule for this spec never applies to it or its forks, only to loops of
          {' '}{specName} made here. Choose every loop for a rule that also covers this loop.
        </p>
      )}
      <label>
        Why{effect === 'deny' ? ' (the loop sees it as the rejection’s reason)' : ''}
        <input data-testid="remember-why" value={why} maxLength={2000} onChange={(e) => setWhy(e.target.value)} placeholder="recorded with the rule" />
      </label>
      {blocked && <p className="error">{blocked}</p>}
      <div className="actions">
        <button type="submit" className={effect === 'allow' ? 'primary' : 'danger'} data-testid="remember-confirm" disabled={!ready}>
          {verb}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </SubmitForm>
  )
}

function uncoveredWords(coverage: Coverage | null, effect: 'allow' | 'deny', pattern: string, action: Action): string {
  const call = effect === 'allow' ? 'the call you approve (with your edits, if any)' : 'the call you reject (as proposed)'
  const decided = `This call is ${effect === 'allow' ? 'approved' : 'rejected'} now, but the rule will not decide calls like it.`
  if (coverage?.state === 'unknown') return `Could not check whether ${pattern} covers ${call}: ${coverage.error}. ${decided}`
  const tool = pattern.split('(')[0]
  const other = tool !== action.tool ? ` (it names ${tool}, this call is ${action.tool})` : ''
  return `${pattern} does not cover ${call}${other}. ${decided}`
}
