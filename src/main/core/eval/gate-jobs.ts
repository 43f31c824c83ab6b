/**
 * Validation gates started from the control room: each runs in the background through the same
 * core code as `andon eval --baseline --candidate` (runGate), one at a time (a second is refused
 * while one runs: both would share the machine and skew each other's timings). Progress and
 * reports are kept in memory for this process only; the runs themselves are loops, tagged and
 * archived like the CLI's.
 */
import { randomBytes } from 'node:crypto'
import type { EvalGateStatus } from '../../../shared/eval-contract'
import { CommandRefused } from '../commands/commands'
import { runGate } from './gate'
import type { EvalCore } from './run-case'
import { suiteName, type LoadedSuite } from './suite'
import { describeSide, type LoadedTarget } from './targets'

const KEPT = 20

export interface GateJobInput {
  suiteId: string
  suite: LoadedSuite
  baseline: LoadedTarget & { specId: string }
  candidate: LoadedTarget & { specId: string }
  repetitions: number
  seed?: number
}

export class GateJobs {
  private readonly jobs: EvalGateStatus[] = []

  constructor(
    private readonly core: EvalCore,
    private readonly clock: () => number = Date.now
  ) {}

  start(input: GateJobInput): { gateId: string } {
    const running = this.jobs.find((j) => j.state === 'running')
    if (running) throw new CommandRefused(`a gate is already running (${running.suite.name}, ${running.done}/${running.total} runs): wait for it to finish`, 409)
    const { suite, baseline, candidate, repetitions } = input
    const job: EvalGateStatus = {
      gateId: `gate-${randomBytes(6).toString('hex')}`,
      state: 'running',
      suite: { id: input.suiteId, name: suiteName(suite), version: suite.version, cases: suite.cases.length },
      baseline: { specId: baseline.specId, name: describeSide(baseline).name },
      candidate: { specId: candidate.specId, name: describeSide(candidate).name },
      repetitions,
      startedAt: this.clock(),
      endedAt: null,
      done: 0,
      total: suite.cases.length * repetitions * 2,
      current: null,
      report: null,
      error: null
    }
    this.jobs.unshift(job)
    this.jobs.splice(KEPT)
    runGate(this.core, suite, baseline, candidate, {
      repetitions,
      settings: input.seed === undefined ? {} : { seed: input.seed },
      onRun: (p) => {
        job.done = p.index - 1
        job.current = { caseName: p.caseName, repetition: p.repetition, side: p.side }
      }
    }).then(
      (report) => Object.assign(job, { state: 'done', report, done: job.total, current: null, endedAt: this.clock() }),
      (err: Error) => Object.assign(job, { state: 'failed', error: err.message, current: null, endedAt: this.clock() })
    )
    return { gateId: job.gateId }
  }

  get(gateId: string): EvalGateStatus {
    const job = this.jobs.find((j) => j.gateId === gateId)
    if (!job) throw new CommandRefused(`no gate ${gateId} (gates are kept until Andon restarts)`, 404)
    return { ...job }
  }

  list(): EvalGateStatus[] {
    return this.jobs.map((j) => ({ ...j }))
  }
}
