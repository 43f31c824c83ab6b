/** One loop in the list: name and status, iteration, policy, cost, tags, lineage, and its times. */
import { memo } from 'react'
import type { LoopSummary } from '../../../../shared/contract'
import { fmtDateTime, fmtDuration, fmtRelative, fmtUsd, fmtWhen } from '../../lib/format'
import { pauseSentence } from '../../lib/pause'
import { useStore } from '../../store'
import { selectLoop } from '../../store/sync'
import { ArchiveButton } from '../ArchiveButton'
import { StatusBadge } from '../StatusBadge'
import { Lineage } from './Lineage'

/** Wall time from start to end (or to now, while it has not ended); null before it started. */
export function loopDuration(s: Pick<LoopSummary, 'startedAt' | 'endedAt'>, now: number): number | null {
  if (s.startedAt === null) return null
  return (s.endedAt ?? now) - s.startedAt
}

function Times({ s, now }: { s: LoopSummary; now: number }) {
  const took = loopDuration(s, now)
  return (
    <div className="loop-row-times" data-testid="loop-times">
      <span title={`created ${fmtDateTime(s.createdAt)}`} data-testid="loop-created">
        {fmtWhen(s.createdAt, now)}
      </span>
      <span title={`last change ${fmtDateTime(s.updatedAt)}`} data-testid="loop-updated">
        updated {fmtRelative(s.updatedAt, now)}
      </span>
      {took !== null && (
        <span title={s.endedAt ? 'from start to end' : 'since it started'} data-testid="loop-duration">
          {s.endedAt ? 'took' : 'for'} {fmtDuration(took)}
        </span>
      )}
    </div>
  )
}

export const LoopRow = memo(function LoopRow({ loopId, selected, now }: { loopId: string; selected: boolean; now: number }) {
  const s = useStore((st) => st.loops[loopId])
  const parentName = useStore((st) => (s?.parentLoopId ? (st.loops[s.parentLoopId]?.name ?? null) : null))
  if (!s) return null
  if (s.damaged) {
    return (
      <div className="loop-row damaged" data-testid="loop-row" data-loop-id={loopId} data-damaged="true" title={s.damaged}>
        <div className="loop-row-top">
          <span className="loop-name">{s.name}</span>
          <span className="badge badge-bad">damaged</span>
        </div>
        <div className="loop-row-meta">
          <span className="muted">its record cannot be read</span>
          <ArchiveButton loopId={loopId} archived={s.archived} />
        </div>
      </div>
    )
  }
  return (
    <button
      className={`loop-row${selected ? ' selected' : ''}`}
      data-testid="loop-row"
      data-loop-id={loopId}
      aria-current={selected ? 'true' : undefined}
      onClick={() => selectLoop(loopId)}
      title={`${s.loopId}\n${s.task}`}
    >
      <div className="loop-row-top">
        <span className="loop-name">{s.name}</span>
        <StatusBadge status={s.status} reason={s.terminationReason} />
      </div>
      <div className="loop-row-meta">
        <span title="iterations">#{s.iteration}</span>
        <span data-testid="loop-policy">{s.policy}</span>
        <span data-testid="loop-cost">{fmtUsd(s.costUsd)}</span>
        {s.waiting > 0 && (
          <span className="waiting" data-testid="loop-waiting" title="approvals or escalations waiting">
            ⚑ {s.waiting}
          </span>
        )}
        {s.pause?.by === 'circuit-breaker' && (
          <span className="waiting" data-testid="loop-circuit-open" title={pauseSentence(s.pause, s.pause.resumeAt, now)}>
            circuit open
          </span>
        )}
        <Lineage loop={s} parentName={parentName} />
        {s.tags.map((t) => (
          <span key={t} className="tag" data-testid="loop-tag">
            {t}
          </span>
        ))}
      </div>
      <Times s={s} now={now} />
    </button>
  )
})
