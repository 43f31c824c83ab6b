import type { LoopSummary } from './contract'
import type { LoopState } from './state'

/**
 * How much of the task a row carries: rows go out with every pushed event and for every loop in
 * the list, while a task may run to thousands of characters (the full text stays in the spec).
 */
export const TASK_EXCERPT_CHARS = 300

/** The task's opening, marked with … when cut (never between the two halves of a surrogate pair). */
export function taskExcerpt(task: string): string {
  if (task.length <= TASK_EXCERPT_CHARS) return task
  return `${task.slice(0, TASK_EXCERPT_CHARS).replace(/[\uD800-\uDBFF]$/, '')}…`
}

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
    autonomy: s.autonomy ?? s.spec?.autonomy ?? 'autonomous',
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
    task: taskExcerpt(s.spec?.task ?? ''),
    tags: s.spec?.tags ?? [],
    pause: s.status === 'paused' && s.pause ? { ...s.pause, resumeAt: s.autoResumeAt } : null
  }
}
