/**
 * A run's recent iterations as the classifier reads them: per iteration, the call that ran (its
 * stable key and outcome), a rejection, a failed decision, and each invariant's check results.
 */
import type { StoredEvent } from '../../../shared/events'
import { actionKey } from '../../../shared/state'

export interface Step {
  iteration: number
  /** The call's tool and stable key (tool + args), when one was proposed. */
  tool?: string
  key?: string
  /** The tool's own outcome (absent: it did not run, or only the operator reported it). */
  ok?: boolean
  /** Who refused the call (`refusalSource` in shared/state.ts tells an operator from a rule or an invariant). */
  rejectedBy?: string
  /** The kind of a failed decision (malformed-response, rate-limited, …). */
  decisionFailed?: string
  progress?: boolean
}

export interface Trail {
  /** Oldest first. */
  steps: Step[]
  /** Per invariant name, its check results in order (iteration, ok). */
  checks: Map<string, { iteration: number; ok: boolean }[]>
  /** The last iteration before which the operator patched state (a patch clears streaks). */
  patchedAfter: number
}

export function readTrail(events: readonly StoredEvent[]): Trail {
  const byIteration = new Map<number, Step>()
  const iterationOfCall = new Map<string, number>()
  const checks = new Map<string, { iteration: number; ok: boolean }[]>()
  let patchedAfter = 0
  let current = 0
  const step = (iteration: number): Step => {
    let s = byIteration.get(iteration)
    if (!s) byIteration.set(iteration, (s = { iteration }))
    return s
  }
  for (const e of events) {
    switch (e.type) {
      case 'IterationStarted':
        current = e.data.iteration
        step(current)
        break
      case 'DecisionFailed':
        step(e.data.iteration).decisionFailed = e.data.kind
        break
      case 'ActionProposed': {
        iterationOfCall.set(e.data.callId, e.data.iteration)
        Object.assign(step(e.data.iteration), { tool: e.data.action.tool, key: actionKey(e.data.action) })
        break
      }
      case 'ToolStarted': {
        const s = step(iterationOfCall.get(e.data.callId) ?? current)
        Object.assign(s, { tool: e.data.tool, key: actionKey({ tool: e.data.tool, args: e.data.args }) })
        break
      }
      case 'ToolFinished': {
        const iteration = iterationOfCall.get(e.data.callId)
        if (iteration !== undefined && !e.data.resolvedBy) step(iteration).ok = e.data.ok
        break
      }
      case 'ActionRejected': {
        const iteration = iterationOfCall.get(e.data.callId)
        if (iteration !== undefined) step(iteration).rejectedBy = e.data.by
        break
      }
      case 'Observed':
        step(e.data.iteration).progress = e.data.progress
        break
      case 'InvariantChecked':
        for (const r of e.data.results) {
          const list = checks.get(r.name)
          const entry = { iteration: e.data.iteration, ok: r.ok }
          if (list) list.push(entry)
          else checks.set(r.name, [entry])
        }
        break
      case 'StatePatched':
        patchedAfter = current
        break
      default:
        break
    }
  }
  return { steps: [...byIteration.values()].sort((a, b) => a.iteration - b.iteration), checks, patchedAfter }
}

/** The steps at the end of the trail (after the last patch) that all satisfy `test`, oldest first. */
export function trailingStreak(trail: Trail, test: (s: Step) => boolean, skip: (s: Step) => boolean = () => false): Step[] {
  const out: Step[] = []
  for (let i = trail.steps.length - 1; i >= 0; i--) {
    const s = trail.steps[i]
    if (s.iteration <= trail.patchedAfter) break
    if (skip(s)) continue
    if (!test(s)) break
    out.unshift(s)
  }
  return out
}

/** The first iteration of the invariant's last run of failed checks (null: it never failed). */
export function firstOfFailingRun(trail: Trail, name: string): number | null {
  const list = trail.checks.get(name) ?? []
  let first: number | null = null
  for (let i = list.length - 1; i >= 0 && !list[i].ok; i--) first = list[i].iteration
  return first
}
