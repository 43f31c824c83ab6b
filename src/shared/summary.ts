import type { LoopSummary } from './contract'
import type { LoopState } from './state'

/** The loop-list row for a state. Derived, never stored as truth. */
export function summarize(s: LoopState): LoopSummary {
  const waiting =
    (s.status === 'awaiting-approval' && s.pendingCall?.approved === null ? 1 : 0) + (s.escalation ? 1 : 0)
  return {
    loopId: s.loopId,
    name: s.spec?.name ?? s.loopId,
    status: s.status,
    iteration: s.iteration,
    policy: s.spec?.policy.kind ?? 'unknown',
    autonomy: s.spec?.autonomy ?? 'autonomous',
    terminationReason: s.termination?.reason ?? null,
    terminationDetail: s.termination?.detail ?? null,
    parentLoopId: s.parentLoopId,
    readOnly: s.readOnly,
    waiting,
    inputTokens: s.usage.inputTokens,
    outputTokens: s.usage.outputTokens,
    costUsd: s.usage.costUsd,
    activeMs: s.activeMs,
    runningSince: s.runningSince,
    version: s.version,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    task: s.spec?.task ?? '',
    tags: s.spec?.tags ?? [],
    pause: s.status === 'paused' && s.pause ? { ...s.pause, resumeAt: s.autoResumeAt } : null
  }
}
