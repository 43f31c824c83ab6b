/**
 * A gated action waiting for the operator, with what the decision needs (the policy's subgoal,
 * confidence and rationale, the last observation, and for a file edit the diff it would make):
 * approve it, approve it with edited args (validated as a JSON object before anything is sent;
 * the diff follows the edit), or reject it with a reason the loop will see. Under suggest-only the call is a suggestion that
 * nothing runs unless the operator runs it. Any waiting call can be answered instead of run, or
 * decided with a rule ("always allow / deny this"); the track record may suggest allowing its tool.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import type { InboxItem } from '../../../../shared/contract'
import type { Observation } from '../../../../shared/events'
import type { IterationRow } from '../../../../shared/iterations'
import type { PendingCall } from '../../../../shared/state'
import { ActionView } from '../../components/ActionView'
import { DiffPreview } from '../../components/DiffPreview'
import { json } from '../../lib/format'
import { SHORTCUTS, useShortcut } from '../../lib/shortcuts'
import { useCommand } from '../../lib/use-command'
import { usePreview } from '../../lib/use-preview'
import { refreshInboxSoon } from '../../store/sync'
import { andon, errorMessage } from '../../transport'
import { AnswerForm } from './AnswerForm'
import { DecisionContext } from './DecisionContext'
import { PromotionHint } from './PromotionHint'
import { RememberRule } from './RememberRule'

function parseArgs(text: string): { args: Record<string, unknown> | null; error: string | null } {
  try {
    const v: unknown = JSON.parse(text)
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { args: null, error: 'args must be a JSON object' }
    return { args: v as Record<string, unknown>, error: null }
  } catch (err) {
    return { args: null, error: `not valid JSON: ${(err as Error).message}` }
  }
}

export function ApprovalCard({ item }: { item: InboxItem }) {
  const [pending, setPending] = useState<PendingCall | null>(null)
  const [version, setVersion] = useState<number | undefined>(item.version)
  const [workspace, setWorkspace] = useState<string | null>(null)
  const [decision, setDecision] = useState<IterationRow | null>(null)
  const [lastObservation, setLastObservation] = useState<Observation | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [loaded, setLoaded] = useState(false)
  const [argsText, setArgsText] = useState('')
  const [reason, setReason] = useState('')
  const [specName, setSpecName] = useState<string | null>(null)
  const [importedLineage, setImportedLineage] = useState(false)
  const [open, setOpen] = useState<'answer' | 'allow' | 'deny' | null>(null)
  const answerField = useRef<HTMLTextAreaElement>(null)
  const patternField = useRef<HTMLInputElement>(null)
  const { busy, error, run } = useCommand()
  const reasonField = useRef<HTMLInputElement>(null)

  useEffect(() => {
    // Until this item's call is read, what the card holds may be the previous item's.
    setLoaded(false)
    let stale = false
    andon.getLoop({ loopId: item.loopId }).then(
      ({ state, iterations, importedLineage }) => {
        if (stale) return
        setPending(state.pendingCall)
        setDecision(iterations.find((r) => r.iteration === state.pendingCall?.iteration) ?? null)
        setLastObservation(state.lastObservation)
        setVersion(state.version)
        setWorkspace(state.workspace)
        setSpecName(state.spec.name)
        setImportedLineage(importedLineage)
        setArgsText(json(state.pendingCall?.action.args ?? item.packet?.pendingCall?.action.args ?? {}))
        setLoaded(true)
      },
      (err: unknown) => !stale && setLoadError(errorMessage(err))
    )
    return () => {
      stale = true
    }
  }, [item.loopId, item.callId, item.version])
  // The card stays mounted as the operator moves between items: a form opened for one call closes on the next.
  useEffect(() => setOpen(null), [item.loopId, item.callId])

  const action = pending?.action ?? item.packet?.pendingCall?.action
  const risk = pending?.risk ?? item.packet?.pendingCall?.risk ?? 'unknown'
  const callId = item.callId ?? pending?.callId ?? item.packet?.pendingCall?.callId
  const suggestion = pending?.suggestion ?? item.suggestion
  const parsed = useMemo(() => parseArgs(argsText), [argsText])
  const edited = parsed.args !== null && action !== undefined && JSON.stringify(parsed.args) !== JSON.stringify(action.args)
  // While the args shown differ from the proposal, a single key must not approve the proposal unseen.
  const editing = edited || parsed.error !== null
  // The call as it would run: the edited args once they parse (nothing to preview while they do not).
  const toRun = action && parsed.args ? { tool: action.tool, args: parsed.args } : null
  const { preview, loading } = usePreview(item.loopId, toRun)

  async function decide(decision: 'approve' | 'reject', withEdits = false) {
    if (!callId) return
    await run(decision, () =>
      andon.decideApproval({
        loopId: item.loopId,
        callId,
        decision,
        editedArgs: withEdits && parsed.args ? parsed.args : undefined,
        reason: decision === 'reject' ? reason : '',
        // The decision is about the call as shown: if the loop moved on since, it is refused.
        expectedVersion: version
      })
    )
    // Done, or refused because the loop moved on: either way the inbox is read again.
    refreshInboxSoon()
  }

  // Why `a` (and the menu's Approve as Proposed) is off, if it is.
  const approveOff =
    callId === undefined ? 'no approval is open' : !loaded ? 'the approval is still loading' : busy ? 'the last decision is still being sent' : editing ? 'approve with edits from the card while arguments are edited' : undefined
  useShortcut(SHORTCUTS.approve, () => void decide('approve'), approveOff === undefined, approveOff)
  useShortcut(SHORTCUTS.reject, () => reasonField.current?.focus(), callId !== undefined, 'no approval is open')
  const answerOff = callId === undefined ? 'no approval is open' : !loaded ? 'the approval is still loading' : undefined
  useShortcut(
    SHORTCUTS.answer,
    () => {
      // The form focuses its field as it opens (in the same task as this key), or here if already open.
      setOpen('answer')
      answerField.current?.focus()
    },
    answerOff === undefined,
    answerOff
  )
  useShortcut(
    SHORTCUTS.alwaysAllow,
    () => {
      setOpen('allow')
      patternField.current?.focus()
    },
    answerOff === undefined && parsed.error === null,
    answerOff ?? 'the arguments are not valid JSON'
  )
  const runWord = suggestion ? 'Run' : 'Approve'

  return (
    <div className={`card approval-card${suggestion ? ' suggestion-card' : ''}`} data-testid="approval-card" data-suggestion={suggestion} data-loaded={loaded}>
      <h3>
        {suggestion ? 'Suggestion' : 'Approval'} · {item.loopName} · iteration {item.iteration}
      </h3>
      {suggestion && (
        <p className="suggestion-banner" data-testid="suggestion-banner">
          Suggested — nothing runs unless you run it. Run it, edit and run it, answer it, or dismiss it.
        </p>
      )}
      <p>{item.summary}</p>
      {loadError && <p className="error">{loadError}</p>}
      <dl className="kv">
        <dt>tool</dt>
        <dd data-testid="approval-tool">{action?.tool ?? '—'}</dd>
        <dt>risk</dt>
        <dd className={`risk risk-${risk}`} data-testid="approval-risk">
          {risk}
        </dd>
        {pending?.rule && (
          <>
            <dt>rule</dt>
            <dd data-testid="approval-rule">waits because of rule {pending.rule.pattern} ({pending.rule.source === 'spec' ? 'the spec' : `#${pending.rule.id ?? '?'}`})</dd>
          </>
        )}
      </dl>
      {action && callId && specName && loaded && pending?.callId === callId && <PromotionHint key={callId} loopId={item.loopId} callId={callId} action={action} specName={specName} importedLineage={importedLineage} />}
      <DecisionContext decision={decision} observation={lastObservation} />
      {action && (
        <>
          <h4>Proposed call</h4>
          {edited && parsed.args && <p className="warn">Edited: this is what runs if you {suggestion ? 'edit and run' : 'approve with edits'}.</p>}
          <ActionView action={edited && parsed.args ? { tool: action.tool, args: parsed.args } : action} workspace={workspace} raw={false} />
          {edited && (
            <details className="json-block approval-original" data-testid="approval-original">
              <summary>as proposed</summary>
              <ActionView action={action} workspace={workspace} raw={false} />
            </details>
          )}
        </>
      )}
      <DiffPreview preview={preview} loading={loading} />
      <label>
        Arguments (JSON, editable)
        <textarea data-testid="approval-args" className="raw-json" rows={8} spellCheck={false} value={argsText} onChange={(e) => setArgsText(e.target.value)} />
      </label>
      {parsed.error && (
        <p className="error" data-testid="approval-args-error">
          {parsed.error}
        </p>
      )}
      <div className="actions">
        <button className={editing ? undefined : 'primary'} data-testid="approve-button" disabled={busy || !callId} onClick={() => void decide('approve')}>
          {editing ? `${runWord} as proposed` : runWord}
        </button>
        <button className={editing ? 'primary' : undefined} data-testid="approve-edited-button" disabled={busy || !callId || !edited || parsed.error !== null} onClick={() => void decide('approve', true)}>
          {suggestion ? 'Edit and run' : 'Approve with edits'}
        </button>
        <button data-testid="answer-button" aria-expanded={open === 'answer'} disabled={!callId} onClick={() => setOpen(open === 'answer' ? null : 'answer')}>
          Answer…
        </button>
        <button data-testid="always-allow-button" aria-expanded={open === 'allow'} disabled={!callId || !specName || parsed.error !== null} onClick={() => setOpen(open === 'allow' ? null : 'allow')}>
          Always allow this…
        </button>
        <button data-testid="always-deny-button" aria-expanded={open === 'deny'} disabled={!callId || !specName} onClick={() => setOpen(open === 'deny' ? null : 'deny')}>
          Always deny this…
        </button>
      </div>
      {editing && (
        <p className="hint" data-testid="approve-key-off">
          The <kbd>a</kbd> key is off while the arguments are edited: {suggestion ? 'edit and run, or run as proposed' : 'approve with edits, or approve as proposed'} with its button.
        </p>
      )}
      {open === 'answer' && callId && action && <AnswerForm loopId={item.loopId} callId={callId} version={version} tool={action.tool} field={answerField} onCancel={() => setOpen(null)} />}
      {(open === 'allow' || open === 'deny') && callId && action && specName && (
        <RememberRule
          key={`${open}:${callId}`}
          effect={open}
          loopId={item.loopId}
          callId={callId}
          version={version}
          specName={specName}
          importedLineage={importedLineage}
          action={open === 'allow' ? (toRun ?? action) : action}
          workspace={workspace}
          editedArgs={edited && parsed.args ? parsed.args : undefined}
          blocked={open === 'allow' && parsed.error ? `The arguments above do not parse (${parsed.error}): fix them, or cancel.` : null}
          field={patternField}
          onCancel={() => setOpen(null)}
        />
      )}
      <div className="actions">
        <input
          ref={reasonField}
          data-testid="reject-reason"
          aria-label={`Reason for ${suggestion ? 'dismissing' : 'rejecting'} (the loop sees it)`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && reason.trim() !== '' && !busy && void decide('reject')}
          placeholder="reason (the loop sees it)"
        />
        <button className="danger" data-testid="reject-button" disabled={busy || !callId || reason.trim() === ''} onClick={() => void decide('reject')}>
          {suggestion ? 'Dismiss' : 'Reject'}
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </div>
  )
}
