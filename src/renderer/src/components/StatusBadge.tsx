import type { LoopStatus } from '../../../shared/state'

const LABEL: Record<LoopStatus, string> = {
  created: 'created',
  running: 'running',
  paused: 'paused',
  'awaiting-approval': 'needs approval',
  escalated: 'escalated',
  interrupted: 'interrupted',
  terminated: 'done'
}

/** Status of a loop; a terminated loop shows its termination reason instead (SUCCESS, STALLED…). */
export function StatusBadge({ status, reason }: { status: LoopStatus; reason?: string | null }) {
  const text = status === 'terminated' && reason ? reason : LABEL[status]
  const tone = status === 'terminated' ? (reason === 'SUCCESS' ? 'ok' : reason === 'CANCELLED' ? 'muted' : 'bad') : status
  return (
    <span className={`badge badge-${tone}`} data-testid="status-badge" data-status={status} data-reason={reason ?? ''}>
      {text}
    </span>
  )
}
