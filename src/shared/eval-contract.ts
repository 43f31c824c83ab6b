/**
 * Contract commands for eval suites and the validation gate. Spread into the one contract
 * (src/shared/contract.ts); handlers in src/main/core/eval/handlers.ts.
 */
import { z } from 'zod'
import { command } from './command'
import { LoopId } from './ids'
import { EvalOutcome, type GateReport, type GateSideName } from './eval'
import { AutonomyMode } from './spec'

/** A suite or spec as `listEvalSuites` / `listSpecs` name it: only a listed id is ever opened. */
const ListedId = z.string().min(1).max(1000)
/**
 * The name of a new suite file in the data dir's `suites/` folder: a plain name, never a path
 * (no slash, no `..`, nothing hidden).
 */
export const NewSuiteName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[\w][\w .-]*$/, 'a suite name is letters, digits, spaces, dots, dashes and underscores, and starts with a letter or digit')
  .refine((n) => !n.includes('..'), 'a suite name cannot hold ".."')
export const CaseName = z.string().trim().min(1).max(200)

/** A suite file Andon lists: in the data dir's `suites/` folder, or an `evals/` folder of a spec folder. */
export interface EvalSuiteEntry {
  id: string
  path: string
  /** The suite's `name`, else its file name. */
  name: string
  version: number | null
  cases: number | null
  /** The suite's own spec (absolute path), when it names one. */
  specPath: string | null
  /** That spec's `name` (null: no spec, or it cannot be read): a case saved from another spec's run replays under this one. */
  specName: string | null
  /** null when the file is a valid suite; the problem otherwise (it cannot be run or written to). */
  error: string | null
}

/** Where the case's workspace snapshot came from. */
export type SnapshotSource =
  /** The spec's template folder (for a fork, with the edits it inherited re-applied): what the run started from. */
  | 'start'
  /** The template is gone: the loop's own folder as it is now (after the run), and the case says so. */
  | 'loop-now'

export interface SavedEvalCase {
  suiteId: string
  suitePath: string
  /** True when this save created the suite file. */
  created: boolean
  /** The suite's version after the save. */
  version: number
  caseName: string
  expect: EvalOutcome
  /** The autonomy the case replays under (anything but autonomous stops a replay at the first call it gates). */
  autonomy: AutonomyMode
  /** The snapshot's folder (absolute) and what is in it. */
  workspace: { path: string; source: SnapshotSource; files: number; bytes: number; skipped: string[] }
  /** The suite's `spec`, relative to the suite file (null: the loop had no spec file). */
  spec: string | null
}

export type EvalGateState = 'running' | 'done' | 'failed'

/** A validation gate started from the control room: its progress, then its report. */
export interface EvalGateStatus {
  gateId: string
  state: EvalGateState
  suite: { id: string; name: string; version: number; cases: number }
  baseline: { specId: string; name: string }
  candidate: { specId: string; name: string }
  repetitions: number
  startedAt: number
  endedAt: number | null
  /** Runs finished, of `total` (cases × repetitions × 2). */
  done: number
  total: number
  /** The run under way. */
  current: { caseName: string; repetition: number; side: GateSideName } | null
  report: GateReport | null
  error: string | null
}

export const SaveEvalCaseInput = z
  .object({
    loopId: LoopId,
    /** A listed suite, or a new suite file in the data dir's `suites/` folder. */
    suite: z.union([z.object({ id: ListedId }).strict(), z.object({ newName: NewSuiteName }).strict()]),
    /** Default: the loop's spec name and id; a name the suite already has is refused. */
    name: CaseName.optional(),
    /**
     * Default: how the run ended. Never CANCELLED: a replay is cancelled only when its time is up,
     * so such a case would pass exactly when the run hangs; a cancelled run needs an outcome given.
     */
    expect: EvalOutcome.refine((o) => o !== 'CANCELLED', 'a case cannot expect CANCELLED (a replay is cancelled only when it runs out of time): say what the run should have done').optional(),
    /** Default: the autonomy the run ended with. An eval has no operator: a call this mode gates stops the replay. */
    autonomy: AutonomyMode.optional(),
    /**
     * Save even though the case will replay under a spec that is not the one this run ran: the
     * suite's spec is another one, the run's spec was edited at launch or its file changed since,
     * or the run has no spec file here.
     */
    acceptOtherSpec: z.boolean().optional(),
    label: z.string().max(200).optional(),
    correction: z.string().max(4000).optional()
  })
  .strict()

export const evalCommands = {
  listEvalSuites: command<EvalSuiteEntry[]>()(
    z.object({}).strict(),
    "Eval suite files Andon lists: the data dir's suites/ folder, each spec folder's evals/ folder and the evals/ folder beside it (resources/evals for the examples)."
  ),
  saveEvalCase: command<SavedEvalCase>()(
    SaveEvalCaseInput,
    "Save a terminated or escalated loop as an eval case: its task, start state (facts, subgoal, memory before it first ran), a snapshot of the folder it started from, the autonomy it replays under and the expected outcome (how it ended, or the operator's correction), appended to a listed suite (its version bumped) or to a new suite in the data dir's suites/ folder (a name that exists is refused). Refused for a loop imported from a bundle (fork it first) and, unless acceptOtherSpec, when the case would replay another spec than the run had."
  ),
  startEvalGate: command<{ gateId: string }>()(
    z
      .object({
        suiteId: ListedId,
        baselineSpecId: ListedId,
        candidateSpecId: ListedId,
        repetitions: z.number().int().min(1).max(20).default(5),
        seed: z.number().int().min(0).max(2 ** 32 - 1).optional()
      })
      .strict(),
    'Run the validation gate in the background (as `andon eval --baseline --candidate` does): both specs on every case of the suite, interleaved; one gate at a time.'
  ),
  getEvalGate: command<EvalGateStatus>()(
    z.object({ gateId: z.string().min(1).max(100) }).strict(),
    "A gate's progress (runs done of the total, the run under way) and, when done, its report."
  ),
  listEvalGates: command<EvalGateStatus[]>()(
    z.object({}).strict(),
    'The gates this process ran or runs, newest first (kept in memory: a restart forgets them; their runs stay archived).'
  )
} as const
