/**
 * The one writer of a loop in this process. Its writes go through one chain, so they keep their
 * order and expected versions, and an operator command queued between two engine steps is
 * recorded between them. Events nothing acts on yet may be *staged*: folded into the working
 * state at once (the engine decides from it) and written with the next append, in the same
 * commit, so several steps of an iteration cost one fsync. The committed state is the only one
 * shown outside the driver: nothing is seen before it is durable.
 */
import { LoopEventSchema, type LoopEventInput } from '../../../shared/events'
import { evolve, type LoopState } from '../../../shared/state'
import type { TraceStore } from '../store/trace-store'

export interface LoopWriterDeps {
  store: TraceStore
  /** Secrets out of events before they are folded or stored. */
  scrub(events: LoopEventInput[]): LoopEventInput[]
  /** The time a staged event is folded at, until its commit stamps the real one. */
  clock(): number
  /** After each commit, with the new committed state. */
  onCommit?(state: LoopState): void
}

export class LoopWriter {
  /** What the store holds: the state an operator may see and decide on. */
  committed: LoopState
  /** The committed state with the staged events folded in: what the engine decides from. */
  working: LoopState
  private staged: LoopEventInput[] = []
  private chain: Promise<unknown> = Promise.resolve()
  /** Why staged events were dropped by a failed write (its caller may not be the engine): the engine's next step must not build on them. */
  private lost: unknown = null

  constructor(
    private readonly loopId: string,
    state: LoopState,
    private readonly deps: LoopWriterDeps
  ) {
    this.committed = state
    this.working = state
  }

  /** Run `step` after everything queued before it. */
  enqueue<T>(step: () => T | Promise<T>): Promise<T> {
    const next = this.chain.then(step)
    this.chain = next.catch(() => undefined)
    return next
  }

  /** Resolves once everything queued so far has run. */
  idle(): Promise<unknown> {
    return this.chain
  }

  get hasStaged(): boolean {
    return this.staged.length > 0
  }

  /** Engine: fold events made from the working state, as it is at their turn, without writing them yet. */
  stage(build: (state: LoopState) => LoopEventInput[]): Promise<void> {
    return this.enqueue(() => {
      this.rethrowLost()
      const events = this.deps.scrub(build(this.working))
      this.working = this.fold(this.working, events)
      this.staged.push(...events)
    })
  }

  /** Engine: append events made from the working state at their turn, with everything staged, in one commit. */
  append(build: (state: LoopState) => LoopEventInput[]): Promise<void> {
    return this.enqueue(() => {
      this.rethrowLost()
      return this.write(build(this.working))
    })
  }

  /** An operator command's first step: what the engine staged is recorded, so the command is decided on a durable state. */
  async recordStaged(): Promise<void> {
    if (this.staged.length > 0) await this.write([])
  }

  /** A write dropped staged events: they are lost, and the engine's next step fails with the write's error. */
  get writeFailed(): boolean {
    return this.lost !== null
  }

  /**
   * Only from inside the chain: write what is staged and `events` at the committed version, then
   * fold what was stored. On failure nothing of it was written: the staged events are dropped too,
   * and marked lost (a caller that ignores the failure, like a live output flush, must not let the
   * engine go on from them).
   */
  async write(events: LoopEventInput[]): Promise<void> {
    const all = [...this.staged, ...this.deps.scrub(events)]
    const dropsStaged = this.staged.length > 0
    this.staged = []
    if (all.length === 0) return
    let stored
    try {
      stored = await this.deps.store.append(this.loopId, all, this.committed.version)
    } catch (err) {
      this.working = this.committed
      if (dropsStaged) this.lost = err
      throw err
    }
    let state = this.committed
    for (const ev of stored) state = evolve(state, ev)
    this.committed = state
    this.working = state
    this.deps.onCommit?.(state)
  }

  /** Start again from `state` (read from the store): nothing staged survives (a lost-write mark does, for the engine to see). */
  reset(state: LoopState): void {
    this.staged = []
    this.committed = state
    this.working = state
  }

  /** Drop what is staged and any lost-write mark (after the engine stopped on an error). */
  forgetStaged(): void {
    this.staged = []
    this.lost = null
    this.working = this.committed
  }

  private rethrowLost(): void {
    if (this.lost !== null) throw this.lost
  }

  /** A staged event folded as if stored next: parsed like the store parses it (defaults applied). */
  private fold(state: LoopState, events: LoopEventInput[]): LoopState {
    for (const input of events) {
      const event = LoopEventSchema.parse(input)
      state = evolve(state, { ...event, loopId: this.loopId, version: state.version + 1, at: this.deps.clock() })
    }
    return state
  }
}
