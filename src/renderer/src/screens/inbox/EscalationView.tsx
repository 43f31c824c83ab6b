/**
 * The escalation packet: why the loop stopped (the failing invariant's message and the tool's own
 * error text, first, then the likely root cause), its reasoning trail with each step's result, the invariants × iterations
 * matrix, the confidence trajectory, and the suggested interventions as one-click patches.
 */
import { useState } from 'react'
import type { EscalationPacket, SuggestedIntervention } from '../../../../shared/escalation'
import { Observation } from '../../../../shared/events'
import type { EditableState } from '../../../../shared/patch'
import { editableState } from '../../../../shared/state'
import type { LoopState } from '../../../../shared/state'
import { deferred } from '../../components/Deferred'
import { PatchResult } from '../../components/PatchResult'
import { RootCauseLine } from '../../components/RootCause'
import { summarizeAction } from '../../lib/actions'
import { plainExcerpt } from '../../lib/excerpt'
import { json } from '../../lib/format'
import { useCommand } from '../../lib/use-command'
import { useWorkspace } from '../../lib/use-workspace'
import { useStore } from '../../store'
import { refreshInboxSoon, selectLoop } from '../../store/sync'
import { andon } from '../../transport'
import { InvariantMatrix } from './InvariantMatrix'

const ConfidenceChart = deferred('the confidence chart', () => import('./ConfidenceChart').then((m) => m.ConfidenceChart))

const exit = (code: number | null) => (code !== null ? ` (exit ${code})` : '')

/** What failed, in plain words: each failing invariant with its message, and the last call's error if it failed. */
function Failure({ packet }: { packet: EscalationPacket }) {
  const last = Observation.safeParse(packet.stateSnapshot.lastObservation)
  const toolError = last.success && !last.data.ok ? last.data : null
  if (packet.failingInvariants.length === 0 && !toolError) return null
  return (
    <div className="failure-box" data-testid="escalation-failure">
      {packet.failingInvariants.map((f) => (
        <p key={f.name} className="bad" data-testid="failing-invariant">
          ✗ <strong>{f.name}</strong> — {f.detail}
          {f.remediation && <span className="muted"> · remedy: {f.remediation}</span>}
        </p>
      ))}
      {toolError && (
        <div data-testid="escalation-tool-error">
          <p>
            The last call, <code>{toolError.tool}</code>, failed{exit(toolError.exitCode)}: {toolError.summary}
          </p>
          {toolError.excerpt && <pre className="excerpt">{plainExcerpt(toolError.excerpt, 1500)}</pre>}
        </div>
      )}
    </div>
  )
}

export function EscalationView({ packet, version }: { packet: EscalationPacket; version?: number }) {
  const { busy, error, run } = useCommand()
  const [note, setNote] = useState('')
  const workspace = useWorkspace(packet.loopId)
  const [patched, setPatched] = useState<{ before: EditableState; after: EditableState } | null>(null)
  const floor = Number((packet.stateSnapshot.invariants as { confidenceFloor?: number } | undefined)?.confidenceFloor ?? 0)

  async function intervene(s: SuggestedIntervention) {
    const loopId = packet.loopId
    if (s.ops && s.ops.some((op) => op.op === 'addFact' || op.op === 'setSubgoal')) {
      // A text template ("Hint: …") is for the operator to complete, not to apply as is.
      useStore.setState({ patchDraft: { loopId, ops: s.ops } })
      selectLoop(loopId, { tab: 'patch' })
      return
    }
    if (s.ops && s.ops.length > 0) {
      const ops = s.ops
      const { state } = (await run('load loop', () => andon.getLoop({ loopId }))) ?? {}
      if (!state) return
      const after = await run(s.label, () => andon.patchState({ loopId, patch: { ops }, why: s.label }))
      if (after) setPatched({ before: editableState(state as LoopState), after: editableState(after) })
      return
    }
    const pending = packet.pendingCall
    // Every command says which version of the loop the operator decided on: a stale view is refused.
    const expectedVersion = version
    switch (s.command) {
      case 'abort':
        await run('abort', () => andon.cancelLoop({ loopId, expectedVersion }))
        break
      case 'approve':
      case 'reject':
        if (pending) await run(s.command, () => andon.decideApproval({ loopId, callId: pending.callId, decision: s.command as 'approve' | 'reject', reason: s.label, expectedVersion }))
        break
      case 'happened':
      case 'not-happened':
      case 'retry': {
        const outcome = s.command
        await run(s.label, () => andon.resolveOutcome({ loopId, outcome, note, expectedVersion }))
        break
      }
      case 'set-daily-budget': {
        const usd = s.dailyBudgetUsd ?? null
        await run(s.label, async () => {
          await andon.setDailyBudget({ usd, why: `raised from escalation ${packet.id} of ${loopId}` })
          return andon.resumeLoop({ loopId })
        })
        break
      }
      default:
        await run('resume', () => andon.resumeLoop({ loopId, expectedVersion }))
    }
    // Done, or refused because the loop moved on: either way the inbox is read again.
    refreshInboxSoon()
  }

  return (
    <div className="card escalation" data-testid="escalation-view" data-packet-id={packet.id}>
      <h3>
        Escalation · {packet.kind} · iteration {packet.iteration}
      </h3>
      <p className="summary" data-testid="escalation-summary">
        {packet.summary}
      </p>
      <Failure packet={packet} />
      {packet.rootCause && <RootCauseLine loopId={packet.loopId} cause={packet.rootCause} />}

      {packet.kind === 'outcome-unknown' && (
        <div className="outcome-unknown" data-testid="outcome-unknown">
          <p>
            Andon stopped while <code>{packet.pendingCall ? summarizeAction(packet.pendingCall.action, workspace) : 'a call'}</code> ran. Whatever it left running
            was ended. Check the workspace, then say whether it took effect: the loop goes on from your answer, and the call is re-run only if you ask.
          </p>
          <input data-testid="outcome-note" value={note} onChange={(e) => setNote(e.target.value)} placeholder="what you checked (recorded with your answer)" />
        </div>
      )}
      <h4>Suggested interventions</h4>
      {patched ? (
        <PatchResult loopId={packet.loopId} before={patched.before} after={patched.after} onResumed={refreshInboxSoon} />
      ) : (
        <div className="suggestions">
          {packet.suggestions.map((s, n) => (
            <button key={n} data-testid="suggestion" title={s.ops ? s.ops.map((o) => JSON.stringify(o)).join('\n') : s.command} className={s.command === 'abort' ? 'danger' : ''} disabled={busy} onClick={() => void intervene(s)}>
              {s.label}
            </button>
          ))}
          <button data-testid="open-patch-editor" onClick={() => selectLoop(packet.loopId, { tab: 'patch' })}>
            Patch state by hand…
          </button>
        </div>
      )}
      {error && <p className="error">{error}</p>}

      <div className="two-col">
        <div>
          <h4>Invariants × iterations</h4>
          <InvariantMatrix packet={packet} />
        </div>
        <div>
          <h4>Confidence</h4>
          <ConfidenceChart points={packet.confidenceTrajectory} floor={floor} />
        </div>
      </div>

      <h4>Reasoning trail</h4>
      <ol className="trail" data-testid="reasoning-trail">
        {packet.reasoningTrail.map((t) => (
          <li key={t.iteration}>
            <div>
              <strong>#{t.iteration}</strong> <code>{summarizeAction(t.action, workspace)}</code> — {t.subgoal}
            </div>
            <div className="rationale">{t.rationale}</div>
            {t.result && (
              <div className={t.result.ok ? 'ok' : 'bad'} data-testid="trail-result">
                → {t.result.ok ? 'ok' : 'failed'}
                {exit(t.result.exitCode)} · {t.result.summary}
              </div>
            )}
            {t.prompt !== undefined && (
              <details className="json-block">
                <summary>prompt</summary>
                <pre>{json(t.prompt)}</pre>
              </details>
            )}
            {t.response !== undefined && (
              <details className="json-block">
                <summary>response</summary>
                <pre>{json(t.response)}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
      <details className="json-block">
        <summary>state when it stopped</summary>
        <pre>{json(packet.stateSnapshot)}</pre>
      </details>
    </div>
  )
}
