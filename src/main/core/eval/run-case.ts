/**
 * One run of one eval case: launch the spec with the case's task, start state and files, let it
 * run until it stops (or its time is up), and read back its outcome and metrics. A run that
 * stops for an operator is cancelled, so nothing is left waiting in the inbox; each run is
 * tagged as an eval run and can be archived when done, so the operator's lists stay clean.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve, sep } from 'node:path'
import type { EvalCase, EvalOutcome, EvalRunResult } from '../../../shared/eval'
import type { PatchOp } from '../../../shared/patch'
import type { LoopSpec } from '../../../shared/spec'
import type { LoopState } from '../../../shared/state'
import { invariantCounts } from '../store/invariant-counts'
import type { TraceStore } from '../store/trace-store'
import type { Supervisor } from '../supervisor/supervisor'
import { EvalInputError } from './suite'

export interface EvalCore {
  supervisor: Supervisor
  store: TraceStore
}

/** A spec to evaluate and the file it came from (its workspace is relative to it). */
export interface EvalTarget {
  spec: LoopSpec
  specPath: string
}

export interface RunCaseOptions {
  repetition: number
  timeoutSeconds: number
  /** Added to the spec's tags (an eval run is found, and left out, by them). */
  tags: string[]
  /** Archive the run once it has stopped. */
  archive: boolean
  /** Called as soon as the loop exists (before it starts), to follow it live. */
  onLaunched?(loopId: string): void
}

const MAX_TAGS = 20

/** The spec's own tags after ours, as many as fit. */
export function withTags(spec: LoopSpec, tags: string[]): LoopSpec {
  const own = (spec.tags ?? []).filter((t) => !tags.includes(t))
  return { ...spec, tags: [...tags, ...own].slice(0, MAX_TAGS) }
}

/** A tag value from free text: only the characters a tag may hold, at most `max` of them. */
export function tagSafe(text: string, max: number): string {
  return text.replace(/[^\w.:/-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max) || 'suite'
}

function caseSpec(base: LoopSpec, c: EvalCase, tags: string[]): LoopSpec {
  return withTags(
    {
      ...base,
      task: c.task ?? base.task,
      workspace: c.workspace ?? base.workspace,
      autonomy: c.autonomy ?? base.autonomy,
      invariants: { ...base.invariants, maxIterations: c.maxIterations ?? base.invariants.maxIterations }
    },
    tags
  )
}

function startOps(c: EvalCase): PatchOp[] {
  return [
    ...c.facts.map((fact) => ({ op: 'addFact' as const, fact })),
    ...(c.subgoal !== undefined ? [{ op: 'setSubgoal' as const, subgoal: c.subgoal }] : []),
    ...Object.entries(c.memory).map(([key, value]) => ({ op: 'setMemory' as const, key, value }))
  ]
}

async function writeCaseFiles(workspace: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    const path = resolve(workspace, rel)
    if (!path.startsWith(workspace + sep)) throw new EvalInputError(`case file ${rel} is outside the workspace`)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text)
  }
}

/** Resolves with the loop's state once it is no longer running; cancels it when the time is up. */
async function untilStopped(sup: Supervisor, loopId: string, timeoutMs: number): Promise<LoopState> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await Promise.race([sup.settled(loopId), new Promise((r) => setTimeout(r, Math.max(0, Math.min(1000, deadline - Date.now()))))])
    const s = sup.liveState(loopId)
    if (s.status !== 'running' && s.status !== 'created') return s
    if (Date.now() >= deadline) {
      await sup.cancel(loopId, { by: 'eval' })
      return sup.liveState(loopId)
    }
    await new Promise((r) => setTimeout(r, 10))
  }
}

export async function runCase(core: EvalCore, target: EvalTarget, c: EvalCase, opts: RunCaseOptions): Promise<EvalRunResult> {
  const sup = core.supervisor
  const loopId = await sup.launch(caseSpec(target.spec, c, opts.tags), { specPath: target.specPath, start: false })
  opts.onLaunched?.(loopId)
  const ops = startOps(c)
  if (ops.length) await sup.patch(loopId, { ops }, `eval case ${c.name}`, { by: 'eval' })
  const workspace = sup.liveState(loopId).workspace
  if (Object.keys(c.files).length) {
    if (!workspace) throw new EvalInputError(`case ${c.name}: the loop has no workspace to write files into`)
    await writeCaseFiles(workspace, c.files)
  }
  await sup.resume(loopId, { by: 'eval' })
  let s = await untilStopped(sup, loopId, opts.timeoutSeconds * 1000)
  const stoppedFor = s.termination ? null : (s.escalation?.summary ?? s.status)
  const outcome: EvalOutcome = s.termination?.reason ?? 'escalated'
  // A run that waits for an operator has not converged; close it so nothing is left in the inbox.
  if (!s.termination) s = await sup.cancel(loopId, { by: 'eval' })
  if (opts.archive) sup.archive(loopId, true, `eval run of case ${c.name}`, 'eval')
  const invariants = invariantCounts(core.store, loopId)
  return {
    name: c.name,
    repetition: opts.repetition,
    loopId,
    outcome,
    expected: c.expect.outcome,
    passed: outcome === c.expect.outcome,
    reason: s.termination?.reason ?? null,
    status: s.status,
    detail: stoppedFor ? `stopped for an operator: ${stoppedFor}` : (s.termination?.detail ?? ''),
    iterations: s.iteration,
    iterationsChecked: invariants.checked,
    iterationsWithViolation: invariants.violated,
    inputTokens: s.usage.inputTokens,
    outputTokens: s.usage.outputTokens,
    costUsd: s.usage.costUsd
  }
}
