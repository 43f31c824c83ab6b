/**
 * decide(command, state) → events, or CommandRefused. Pure: no store, no clock but the one in the
 * context, no tools but the argument check it is handed. The caller appends the events with
 * `state.version` as the expected version, so what was decided is what gets recorded.
 */
import type { EscalationResolution, LoopEventInput } from '../../../shared/events'
import { applyPatch } from '../../../shared/patch-apply'
import { onlySetsAutonomy, type LoopState } from '../../../shared/state'
import { CommandRefused, type LoopCommand } from './commands'

export interface DecideContext {
  /** Why `args` are not valid input for `tool`, or null when they are. */
  checkArgs(tool: string, args: Record<string, unknown>, state: LoopState): string | null
  /** Why the patched state cannot run (e.g. a USD budget for a model with no known price), or null. */
  checkPatched?(state: LoopState): string | null
}

const refuse = (message: string, status = 409): never => {
  throw new CommandRefused(message, status)
}

function resolution(s: LoopState, by: string, how: EscalationResolution): LoopEventInput[] {
  return s.escalation ? [{ type: 'EscalationResolved', data: { escalationId: s.escalation.id, by, resolution: how } }] : []
}

/** A loop the operator may act on at all: it exists, it is not an imported copy, it has not ended. */
function live(s: LoopState, what: string): void {
  if (s.version === 0) refuse(`no such loop ${s.loopId}`, 404)
  if (s.readOnly) refuse('this loop was imported and is read-only; fork it to run it')
  if (s.status === 'terminated') refuse(`the loop has terminated; ${what} is not possible (fork it to continue)`)
}

export function decide(command: LoopCommand, s: LoopState, ctx: DecideContext): LoopEventInput[] {
  const c = command
  if (c.expectedVersion !== undefined && c.expectedVersion !== s.version && s.version !== 0) {
    refuse(`the loop changed since you looked at it (you saw event ${c.expectedVersion}, it is now at ${s.version}); look again and decide`)
  }
  switch (c.type) {
    case 'Pause':
      live(s, 'pausing')
      // A pause that would end by itself (an open circuit) becomes the operator's, which holds until resumed.
      if (s.status === 'paused' && s.autoResumeAt === null) return []
      if (s.status === 'running') refuse('the loop is running; its driver pauses it at the next safe point')
      return [{ type: 'Paused', data: { by: c.by, reason: c.reason } }]

    case 'Resume':
      live(s, 'resuming')
      if (s.status === 'running') return []
      if (s.status === 'awaiting-approval') refuse('the loop waits for an approval: approve or reject the call')
      if (s.escalation?.kind === 'outcome-unknown') {
        refuse('a call was cut off by a restart and may or may not have taken effect: say whether it happened, or re-run it')
      }
      return [...resolution(s, c.by, 'resume'), { type: 'Resumed', data: { by: c.by } }]

    case 'Cancel': {
      live(s, 'cancelling')
      // Aborting an escalation records the reason it was raised for (e.g. STALLED).
      const reason = s.escalation?.abortReason ?? 'CANCELLED'
      const detail = s.escalation ? `aborted by the operator: ${s.escalation.summary}` : 'cancelled by the operator'
      // An aborted escalation keeps the root cause classified when the loop stopped.
      return [...resolution(s, c.by, 'abort'), { type: 'Terminated', data: { reason, detail, iteration: s.iteration, rootCause: s.escalation?.rootCause } }]
    }

    case 'Patch': {
      live(s, 'patching')
      // A change of autonomy alone is taken while the loop runs: it gates the next proposed call.
      if (s.status === 'running' && !onlySetsAutonomy(c.patch)) {
        refuse(`patches apply to a stopped loop (paused, escalated, waiting or interrupted); this one is ${s.status}`)
      }
      // Throws PatchError naming each bad field; nothing is recorded.
      const patched = applyPatch(s, c.patch)
      const why = ctx.checkPatched?.(patched)
      if (why) refuse(why, 400)
      return [{ type: 'StatePatched', data: { by: c.by, why: c.why, patch: c.patch } }]
    }

    case 'Approve':
    case 'Reject': {
      live(s, 'deciding a call')
      const pc = s.pendingCall
      if (s.status !== 'awaiting-approval' || !pc || pc.callId !== c.callId || pc.approved !== null) {
        refuse('that call is not waiting for approval (already decided, or the loop moved on)')
      }
      if (c.type === 'Reject') {
        return [{ type: 'ActionRejected', data: { callId: pc!.callId, by: c.by, reason: c.reason.trim() || 'rejected by the operator' } }]
      }
      if (c.editedArgs) {
        const bad = ctx.checkArgs(pc!.action.tool, c.editedArgs, s)
        if (bad) refuse(`edited args are invalid: ${bad}`, 400)
      }
      return [{ type: 'ActionApproved', data: { callId: pc!.callId, by: c.by, editedArgs: c.editedArgs } }]
    }

    case 'Answer': {
      live(s, 'answering a call')
      const pc = s.pendingCall
      if (s.status !== 'awaiting-approval' || !pc || pc.callId !== c.callId || pc.approved !== null) {
        refuse('that call is not waiting for you (already decided, or the loop moved on)')
      }
      const answer = c.answer.trim()
      if (!answer) refuse('write the answer the policy should see as the call\'s outcome', 400)
      const firstLine = answer.split('\n', 1)[0].slice(0, 300)
      const observation = {
        tool: pc!.action.tool,
        ok: c.ok,
        exitCode: null,
        summary: `${pc!.action.tool}: not run; answered by ${c.by}${c.ok ? '' : ' as failed'}: ${firstLine}`.slice(0, 2000),
        excerpt: answer,
        resolvedBy: c.by
      }
      return [
        { type: 'ActionAnswered', data: { callId: pc!.callId, by: c.by, ok: c.ok, answer } },
        { type: 'Observed', data: { iteration: pc!.iteration, observation, progress: true } }
      ]
    }

    case 'ResolveOutcome': {
      live(s, 'resolving the call')
      const call = s.openCall
      if (s.escalation?.kind !== 'outcome-unknown' || !call) refuse('no interrupted call is waiting for your word')
      if (c.outcome === 'retry') return [...resolution(s, c.by, 'retry'), { type: 'Resumed', data: { by: c.by } }]
      const happened = c.outcome === 'happened'
      const iteration = s.pendingCall?.iteration ?? s.iteration
      const note = c.note.trim() ? ` (${c.note.trim()})` : ''
      const summary = happened
        ? `${call!.tool}: took effect before Andon stopped, says ${c.by}${note}; its output was lost`
        : `${call!.tool}: did not take effect before Andon stopped, says ${c.by}${note}; it was not re-run`
      return [
        ...resolution(s, c.by, c.outcome),
        {
          type: 'ToolFinished',
          data: { callId: call!.callId, ok: happened, exitCode: null, durationMs: 0, error: happened ? undefined : 'did not take effect', resolvedBy: c.by }
        },
        {
          type: 'Observed',
          data: { iteration, observation: { tool: call!.tool, ok: happened, exitCode: null, summary, excerpt: '', resolvedBy: c.by }, progress: happened }
        },
        { type: 'Resumed', data: { by: c.by } }
      ]
    }

    case 'RecordFork':
      if (s.version === 0) refuse(`no such loop ${s.loopId}`, 404)
      return [{ type: 'Forked', data: { childLoopId: c.childLoopId, atVersion: c.atVersion } }]

    case 'Interrupt':
      // Imported copies and loops that stopped on their own have nothing to recover.
      if (s.readOnly || s.status !== 'running') return []
      return [
        { type: 'Interrupted', data: { detail: c.detail, lastAliveAt: c.lastAliveAt } },
        ...(c.resume ? [{ type: 'Resumed' as const, data: { by: c.by } }] : [])
      ]

    default: {
      const never: never = c
      return never
    }
  }
}
