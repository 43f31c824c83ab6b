/**
 * Operator commands on one loop. Each is decided against the state the operator saw: `decide`
 * turns (command, state) into events or refuses, and the events are appended with that state's
 * version, so a stale or repeated command is refused, never recorded twice.
 */
import type { StatePatch } from '../../../shared/patch'

interface Base {
  /** Who gave the command (recorded with its events). */
  by: string
  /** The loop version the operator was looking at; when given, any newer state refuses the command. */
  expectedVersion?: number
}

export type LoopCommand =
  | (Base & { type: 'Pause'; reason: string })
  | (Base & { type: 'Resume' })
  | (Base & { type: 'Cancel' })
  | (Base & { type: 'Patch'; patch: StatePatch; why: string })
  | (Base & { type: 'Approve'; callId: string; editedArgs?: Record<string, unknown> })
  | (Base & { type: 'Reject'; callId: string; reason: string })
  /** The operator answers a waiting call instead of running it: the answer is the call's outcome. */
  | (Base & { type: 'Answer'; callId: string; ok: boolean; answer: string })
  /** After a crash: the operator says whether the interrupted call took effect, or asks to re-run it. */
  | (Base & { type: 'ResolveOutcome'; outcome: 'happened' | 'not-happened' | 'retry'; note: string })
  /** A fork of this loop was created (recorded on the parent). */
  | (Base & { type: 'RecordFork'; childLoopId: string; atVersion: number })
  /** The host that drove the loop stopped without pausing it. */
  | (Base & { type: 'Interrupt'; detail: string; lastAliveAt: number | null; resume: boolean })

export type LoopCommandType = LoopCommand['type']

/** A command the state does not allow: nothing was recorded. `status` is the HTTP status shells answer with. */
export class CommandRefused extends Error {
  constructor(
    message: string,
    readonly status = 409
  ) {
    super(message)
  }
}
