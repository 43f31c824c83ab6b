/** The loop's header: status, termination, usage and the operator's controls. */
import type { PolicyEndpoint } from '../../../../shared/contract'
import { inboxKey } from '../../../../shared/inbox-key'
import type { LoopState } from '../../../../shared/state'
import { ArchiveButton } from '../../components/ArchiveButton'
import { StatusBadge } from '../../components/StatusBadge'
import { downloadBase64 } from '../../lib/files'
import { ForkIcon } from '../../components/loops/Icons'
import { fmtTokens, fmtUsd } from '../../lib/format'
import { useCommand } from '../../lib/use-command'
import { useStore } from '../../store'
import { selectLoop } from '../../store/sync'
import { andon } from '../../transport'
import { AutonomyControl } from './AutonomyControl'
import { Forks } from './Forks'
import { LoopTimes } from './LoopTimes'

export function LoopHeader({ state, endpoint = null }: { state: LoopState; endpoint?: PolicyEndpoint | null }) {
  const { busy, run } = useCommand()
  const parentName = useStore((st) => (state.parentLoopId ? (st.loops[state.parentLoopId]?.name ?? state.parentLoopId) : null))
  const inboxItem = useStore((st) => st.inbox.find((i) => i.loopId === state.loopId))
  const s = state.status
  const live = !state.readOnly
  const canPause = live && (s === 'running' || s === 'created')
  // A call cut off by a restart needs the operator's word (in the inbox), not a plain resume.
  const outcomeUnknown = state.escalation?.kind === 'outcome-unknown'
  const canResume = live && (s === 'paused' || s === 'interrupted' || s === 'escalated') && !outcomeUnknown
  const canCancel = live && s !== 'terminated'
  const id = state.loopId
  const archived = useStore((st) => st.loops[state.loopId]?.archived ?? false)
  return (
    <div className="loop-header" data-testid="loop-header">
      <div className="loop-title">
        <h2 data-testid="loop-name">{state.spec?.name ?? id}</h2>
        <StatusBadge status={s} reason={state.termination?.reason} />
        <code className="muted">{id}</code>
      </div>
      {state.parentLoopId && (
        <p className="fork-line" data-testid="loop-parent">
          <ForkIcon /> Forked from{' '}
          <button className="link" onClick={() => selectLoop(state.parentLoopId as string)}>
            {parentName}
          </button>{' '}
          at event {state.forkedAtVersion}
        </p>
      )}
      <Forks loopId={id} />
      {state.readOnly && (
        <p className="readonly-line" data-testid="loop-readonly">
          Imported read-only: inspect it, compare it, or fork it (Time travel) to run it.
        </p>
      )}
      {state.termination && (
        <p className={`termination ${state.termination.reason === 'SUCCESS' ? 'ok' : 'bad'}`} data-testid="termination">
          {state.termination.reason}
          {state.termination.detail ? ` — ${state.termination.detail}` : ''}
        </p>
      )}
      <div className="loop-stats">
        <span data-testid="loop-iteration">iteration {state.iteration}</span>
        <span>policy {state.spec?.policy.kind}</span>
        {endpoint && (
          <span
            data-testid="loop-endpoint"
            className={endpoint.allowed ? '' : 'bad'}
            title={endpoint.allowed ? 'where this loop sends its requests and the API key' : 'the operator has not allowed this endpoint (ANTHROPIC_BASE_URL or ANDON_ANTHROPIC_HOSTS): the loop cannot call it'}
          >
            endpoint {endpoint.url}
            {endpoint.allowed ? '' : ' (not allowed)'}
          </span>
        )}
        <AutonomyControl key={`${state.loopId}:${state.autonomy}`} state={state} />
        <span>
          tokens {fmtTokens(state.usage.inputTokens)} in / {fmtTokens(state.usage.outputTokens)} out
        </span>
        <span data-testid="loop-cost">cost {fmtUsd(state.usage.costUsd)}</span>
        {state.subgoal && <span className="subgoal">subgoal: {state.subgoal}</span>}
      </div>
      <LoopTimes state={state} />
      <div className="actions">
        <button data-testid="pause-button" disabled={!canPause || busy} onClick={() => void run('pause', () => andon.pauseLoop({ loopId: id, reason: 'paused by operator' }))}>
          Pause
        </button>
        <button
          data-testid="resume-button"
          disabled={!canResume || busy}
          title={outcomeUnknown ? 'a call was cut off by a restart: say in the inbox whether it took effect' : undefined}
          onClick={() => void run('resume', () => andon.resumeLoop({ loopId: id, expectedVersion: state.version }))}
        >
          Resume
        </button>
        <button
          className="danger"
          data-testid="cancel-button"
          disabled={!canCancel || busy}
          onClick={() => window.confirm(`Cancel loop ${state.spec?.name ?? id} for good?`) && void run('cancel', () => andon.cancelLoop({ loopId: id }))}
        >
          Cancel
        </button>
        <button
          data-testid="export-bundle"
          disabled={busy}
          title="a portable, checksummed, redacted file of this loop's whole history"
          onClick={async () => {
            const res = await run('export', () => andon.exportBundle({ loopIds: [id] }))
            if (res) downloadBase64(res.fileName, res.bytesBase64)
          }}
        >
          Export bundle
        </button>
        <ArchiveButton loopId={id} archived={archived} disabled={s === 'running' && !state.readOnly} />
        {inboxItem && (
          <button
            className="attention"
            data-testid="open-inbox-item"
            onClick={() => {
              useStore.setState({ view: 'inbox' })
              useStore.getState().openInboxItem(inboxKey(inboxItem))
            }}
          >
            ⚑ {inboxItem.kind === 'approval' ? 'Approval waiting' : 'Escalated'} — open
          </button>
        )}
      </div>
    </div>
  )
}
