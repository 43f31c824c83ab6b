/**
 * Which spec a saved case replays, against the spec the run had. A case replays its suite's spec
 * file (or a gate's two specs) with its own task, start state, loop cap and autonomy; anything
 * else that differed (YAML edited at launch, the file changed since, no spec file here, a suite
 * built for another spec) would make the case replay a different loop than the one that ran, so
 * the save says so and waits for the operator to accept it. And the outcome a case expects, which
 * is never CANCELLED.
 */
import { realpath } from 'node:fs/promises'
import { isDeepStrictEqual } from 'node:util'
import type { EvalOutcome } from '../../../shared/eval'
import type { AutonomyMode, LoopSpec } from '../../../shared/spec'
import type { LoopState } from '../../../shared/state'
import { descendsFromImport } from '../approvals/lineage'
import { CommandRefused } from '../commands/commands'
import { loadSpecFile } from '../specs/load-spec'
import type { TraceStore } from '../store/trace-store'
import { EvalInputError } from './suite'

/** Spec fields a case carries itself (task, loop cap, autonomy) or that do not change a run. */
const CARRIED = new Set(['name', 'description', 'task', 'autonomy'])

export interface ReplayPlan {
  loopId: string
  /** The run's spec file on this machine (null: launched from text, or the loop descends from an import). */
  specFile: string | null
  /** The spec's name as the suite would know it: its file's, else the one it ran under. */
  specName: string
  /** Written into the case where they differ from the spec file's. */
  maxIterations?: number
  autonomy?: AutonomyMode
  /** The autonomy the replay runs under. */
  replayAutonomy: AutonomyMode
  /** Why the case would not replay the spec the run had (empty: it would). */
  otherSpec: string[]
}

function differingFields(ran: LoopSpec, file: LoopSpec): string[] {
  const fields = new Set([...Object.keys(ran), ...Object.keys(file)] as (keyof LoopSpec)[])
  const capless = (s: LoopSpec) => ({ ...s, invariants: { ...s.invariants, maxIterations: 0 } })
  return [...fields].filter((k) => !CARRIED.has(k) && !isDeepStrictEqual(capless(ran)[k], capless(file)[k]))
}

/** `start`: the state before the first run (its loop cap is the one the run started with). */
export async function replayPlan(store: TraceStore, s: LoopState, start: LoopState, autonomy: AutonomyMode | undefined): Promise<ReplayPlan> {
  const replayAutonomy = autonomy ?? s.autonomy
  const own = { loopId: s.loopId, maxIterations: start.invariants.maxIterations, autonomy: replayAutonomy, replayAutonomy, specName: s.spec.name }
  // A bundle chose the spec path of an imported loop's descendants: it names no file of this machine.
  if (s.specPath && descendsFromImport(store, s.loopId)) {
    return { ...own, specFile: null, otherSpec: [`loop ${s.loopId} descends from a loop imported from a bundle: it has no spec file here`] }
  }
  if (!s.specPath) return { ...own, specFile: null, otherSpec: [`loop ${s.loopId} was launched from spec text: it has no spec file`] }
  let file: LoopSpec
  try {
    file = await loadSpecFile(s.specPath)
  } catch (err) {
    return { ...own, specFile: s.specPath, otherSpec: [`its spec file ${s.specPath} cannot be read (${(err as Error).message.split('\n')[0]})`] }
  }
  const differs = differingFields(s.spec, file)
  return {
    loopId: s.loopId,
    specFile: s.specPath,
    specName: file.name,
    ...(start.invariants.maxIterations !== file.invariants.maxIterations ? { maxIterations: start.invariants.maxIterations } : {}),
    ...(replayAutonomy !== file.autonomy ? { autonomy: replayAutonomy } : {}),
    replayAutonomy,
    otherSpec: differs.length ? [`loop ${s.loopId} ran a spec that differs from its spec file ${s.specPath} as it is now (${differs.join(', ')})`] : []
  }
}

const samePath = async (a: string, b: string) => a === b || (await realpath(a).catch(() => a)) === (await realpath(b).catch(() => b))

/** Why a suite built for another spec would replay this run under it (null: same spec, or the suite names none). */
export async function suiteSpecProblem(suite: { name: string; specPath: string | null }, plan: ReplayPlan): Promise<string | null> {
  if (suite.specPath === null) return null
  if (plan.specFile !== null && (await samePath(suite.specPath, plan.specFile))) return null
  const theirs = await loadSpecFile(suite.specPath).then(
    (spec) => spec.name,
    () => null
  )
  if (theirs === plan.specName) return null
  return `the suite ${suite.name} is for spec "${theirs ?? '(unreadable)'}" (${suite.specPath}), and loop ${plan.loopId} ran "${plan.specName}": its case would replay under the suite's spec`
}

/** The outcome the case expects: the operator's, else how the run ended, never CANCELLED (a replay is cancelled only when its time is up). */
export function expectedOutcome(given: EvalOutcome | undefined, s: LoopState): EvalOutcome {
  const never = 'a replay is cancelled only when it runs out of time, so a case expecting CANCELLED would pass exactly when the run hangs'
  if (given === 'CANCELLED') throw new EvalInputError(`a case cannot expect CANCELLED: ${never}; say what the run should have done`)
  if (given) return given
  if (s.termination?.reason === 'CANCELLED') {
    throw new EvalInputError(`loop ${s.loopId} was cancelled: say which outcome the case expects (SUCCESS if it should have succeeded, escalated if it should have stopped for a human): ${never}`)
  }
  return s.termination?.reason ?? 'escalated'
}

/** Refused unless accepted: a case that would replay another spec than the run had. */
export async function checkSpec(plan: ReplayPlan, suite: { name: string; specPath: string | null } | null, accepted: boolean): Promise<void> {
  const problems = [...plan.otherSpec]
  const other = suite && (await suiteSpecProblem(suite, plan))
  if (other) problems.push(other)
  if (!problems.length || accepted) return
  throw new CommandRefused(
    `${problems.join('; ')}. A case replays its suite's spec (or a gate's two specs) with only its own task, start state, loop cap and autonomy, so it would not replay this run: ` +
      'save it into a suite of the spec it ran, or save it anyway with acceptOtherSpec (andon eval save --accept-other-spec)',
    409
  )
}
