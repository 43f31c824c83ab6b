/**
 * Loop-list rows as read back from storage. A row that does not have the shape of a summary
 * (a loop recorded by a damaged or hostile source) is listed as damaged, never passed on to
 * break a screen or `andon ls`.
 */
import { z } from 'zod'
import type { LoopSummary } from './contract'

const Num = z.number().finite()
const NullableText = z.string().nullable()

const LoopSummaryShape = z.object({
  loopId: z.string(),
  name: z.string(),
  status: z.enum(['created', 'running', 'paused', 'awaiting-approval', 'escalated', 'interrupted', 'terminated']),
  iteration: Num,
  policy: z.string(),
  autonomy: z.string(),
  terminationReason: NullableText,
  terminationDetail: NullableText,
  parentLoopId: NullableText,
  readOnly: z.boolean(),
  waiting: Num,
  inputTokens: Num,
  outputTokens: Num,
  costUsd: Num,
  activeMs: Num,
  runningSince: Num.nullable(),
  version: Num,
  createdAt: Num,
  updatedAt: Num,
  // Rows written before these fields existed still read.
  startedAt: Num.nullable().default(null),
  endedAt: Num.nullable().default(null),
  task: z.string().default(''),
  tags: z.array(z.string()).default([]),
  pause: z.object({ by: z.string(), reason: z.string(), resumeAt: Num.nullable() }).nullable().default(null)
})

export function checkedSummary(raw: unknown, loopId: string): LoopSummary {
  const parsed = LoopSummaryShape.safeParse(raw)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const r = (raw ?? {}) as Record<string, unknown>
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
  return {
    loopId,
    name: typeof r.name === 'string' ? r.name : loopId,
    status: 'created',
    iteration: 0,
    policy: 'unknown',
    autonomy: 'unknown',
    terminationReason: null,
    terminationDetail: null,
    parentLoopId: null,
    readOnly: true,
    waiting: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    activeMs: 0,
    runningSince: null,
    version: num(r.version),
    createdAt: num(r.createdAt),
    updatedAt: num(r.updatedAt),
    startedAt: null,
    endedAt: null,
    task: '',
    tags: [],
    pause: null,
    damaged: `${issue?.path.join('.') || '(row)'}: ${issue?.message ?? 'not a loop summary'}`
  }
}
