/**
 * Drive one loop from the terminal until it stops: a line per iteration, notices for approvals
 * and escalations, Ctrl-C to cancel, and the exit code (0 on SUCCESS). Shared by `run` and `resume`.
 */
import type { Andon } from '../main/core/andon'
import { EXIT, type Io } from './io'
import { iterationLine, LoopWatcher, untilStopped } from './watch'

export interface FollowOptions {
  json: boolean
  timeoutSeconds?: number
}

export class Follower {
  private readonly watcher: LoopWatcher
  private interrupted = false
  private loopId: string | null = null
  private readonly onSigint = () => {
    // The second Ctrl-C does not wait for the running tool to stop.
    if (this.interrupted) process.exit(EXIT.interrupted)
    this.interrupted = true
    this.io.err('cancelling the loop (Ctrl-C again to quit at once)')
    if (this.loopId) void this.andon.supervisor.cancel(this.loopId).catch(() => undefined)
  }

  constructor(
    private readonly andon: Andon,
    private readonly io: Io,
    private readonly opts: FollowOptions
  ) {
    const emit = (obj: Record<string, unknown>) => io.out(JSON.stringify(obj))
    this.watcher = new LoopWatcher(andon, {
      onIteration: (row, loopId) => (opts.json ? emit({ event: 'iteration', loopId, ...row }) : io.out(iterationLine(row))),
      onNotice: (text, loopId) => (opts.json ? emit({ event: 'notice', loopId, text }) : io.err(text))
    })
    process.on('SIGINT', this.onSigint)
  }

  /** Start watching (call before the loop starts running, so no iteration is missed). */
  follow(loopId: string): void {
    this.loopId = loopId
    this.watcher.follow(loopId)
  }

  /** Wait for the loop to stop, print the outcome, and return the exit code. */
  async result(): Promise<number> {
    const { andon, io, opts } = this
    const loopId = this.loopId!
    const s = await untilStopped(andon, loopId, opts.timeoutSeconds ? opts.timeoutSeconds * 1000 : undefined)
    const reason = s.termination?.reason ?? null
    const result = {
      event: 'result',
      loopId,
      status: s.status,
      reason,
      detail: s.termination?.detail ?? s.escalation?.summary ?? '',
      iterations: s.iteration,
      inputTokens: s.usage.inputTokens,
      outputTokens: s.usage.outputTokens,
      costUsd: s.usage.costUsd
    }
    if (opts.json) io.out(JSON.stringify(result))
    else if (reason) io.err(`${reason}${result.detail ? `: ${result.detail}` : ''} after ${s.iteration} iteration(s), $${s.usage.costUsd.toFixed(4)}`)
    else io.err(`stopped for an operator (${s.status}): ${result.detail || 'see the control room'} — loop ${loopId}`)
    if (this.interrupted) return EXIT.interrupted
    return reason === 'SUCCESS' ? EXIT.ok : EXIT.failed
  }

  close(): void {
    process.off('SIGINT', this.onSigint)
    this.watcher.close()
  }
}
