/**
 * From the recorded events of a spec's loops to one record per proposed call: how the gate or the
 * operator decided it, and how it ran. Pure: the events come from the store (call-events.ts) or a
 * recorded history.
 */
import type { EventOf, StoredEvent } from '../../../shared/events'
import type { RiskLevel } from '../../../shared/spec'
import { refusalSource } from '../../../shared/state'
import type { CallOutcome, OperatorDecision } from '../../../shared/track-record'

/** How a call was decided: the gate let it run, the operator decided, something refused it, or nobody yet. */
export type CallDecision = 'ran-unasked' | OperatorDecision | 'refused' | 'undecided'

export interface CallRecord {
  loopId: string
  callId: string
  tool: string
  /** The arguments as proposed (an edit's arguments are not what the policy asked for). */
  args: Record<string, unknown>
  risk: RiskLevel
  proposedAt: number
  decision: CallDecision
  /** For a call that ran unasked: whether an allow rule or the autonomy mode let it. */
  gate: 'rule' | 'mode' | null
  by: string | null
  note: string | null
  /** When and in what global order the decision was recorded (the proposal's, for a call that ran unasked). */
  decidedAt: number
  decidedSeq: number
  outcome: CallOutcome
  /** The loop's workspace: a path argument inside it is read as relative to it (null: unknown). */
  workspace: string | null
}

/** The event types a track record reads. */
export const CALL_EVENT_TYPES = ['ActionProposed', 'ActionApproved', 'ActionRejected', 'ActionAnswered', 'ToolFinished'] as const

type CallEvent = Pick<StoredEvent, 'loopId' | 'seq' | 'at'> &
  (EventOf<'LoopCreated'> | EventOf<'ActionProposed'> | EventOf<'ActionApproved'> | EventOf<'ActionRejected'> | EventOf<'ActionAnswered'> | EventOf<'ToolFinished'>)

const NOTE_CHARS = 500

/** Only an operator's refusal of a call that waited for them is a rejection; a deny rule's or an invariant's is not. */
function refusedByOperator(proposal: EventOf<'ActionProposed'>['data'], by: string): boolean {
  if (!proposal.needsApproval || proposal.rule?.effect === 'deny') return false
  return refusalSource(by) === 'operator'
}

function cap(text: string): string {
  return text.length > NOTE_CHARS ? `${text.slice(0, NOTE_CHARS)}…` : text
}

/**
 * Events of any type may be passed; those a track record does not read are ignored. Oldest first.
 * `workspaces`: each loop's workspace (a LoopCreated among the events also says it).
 */
export function callRecords(
  events: Iterable<Pick<StoredEvent, 'loopId' | 'seq' | 'at'> & { type: string; data: unknown }>,
  workspaces: ReadonlyMap<string, string | null> = new Map()
): CallRecord[] {
  const created = new Map<string, string | null>()
  const calls = new Map<string, CallRecord & { proposal: EventOf<'ActionProposed'>['data'] }>()
  for (const raw of events) {
    const e = raw as CallEvent
    const key = (callId: string) => `${e.loopId}\u0000${callId}`
    switch (e.type) {
      case 'LoopCreated':
        created.set(e.loopId, e.data.workspace)
        break
      case 'ActionProposed': {
        const d = e.data
        const unasked = !d.needsApproval
        calls.set(key(d.callId), {
          proposal: d,
          loopId: e.loopId,
          callId: d.callId,
          tool: d.action.tool,
          args: d.action.args,
          risk: d.risk,
          proposedAt: e.at,
          decision: unasked ? 'ran-unasked' : 'undecided',
          gate: unasked ? (d.rule?.effect === 'allow' ? 'rule' : 'mode') : null,
          by: null,
          note: null,
          decidedAt: e.at,
          decidedSeq: e.seq,
          outcome: unasked ? 'pending' : 'not-run',
          workspace: created.get(e.loopId) ?? workspaces.get(e.loopId) ?? null
        })
        break
      }
      case 'ActionApproved': {
        const c = calls.get(key(e.data.callId))
        if (!c || c.decision !== 'undecided') break
        Object.assign(c, { decision: e.data.editedArgs ? 'edited' : 'approved', by: e.data.by, decidedAt: e.at, decidedSeq: e.seq, outcome: 'pending' })
        break
      }
      case 'ActionRejected': {
        const c = calls.get(key(e.data.callId))
        if (!c) break
        const decision = refusedByOperator(c.proposal, e.data.by) ? 'rejected' : 'refused'
        Object.assign(c, { decision, gate: null, by: e.data.by, note: cap(e.data.reason), decidedAt: e.at, decidedSeq: e.seq, outcome: 'not-run' })
        break
      }
      case 'ActionAnswered': {
        const c = calls.get(key(e.data.callId))
        if (!c || c.decision !== 'undecided') break
        Object.assign(c, { decision: 'answered', by: e.data.by, note: cap(e.data.answer), decidedAt: e.at, decidedSeq: e.seq, outcome: 'not-run' })
        break
      }
      case 'ToolFinished': {
        // A re-run call finishes again: the last outcome stands.
        const c = calls.get(key(e.data.callId))
        if (c) c.outcome = e.data.resolvedBy ? 'reported' : e.data.ok ? 'ok' : 'failed'
        break
      }
      default:
        break
    }
  }
  return [...calls.values()].map(({ proposal: _proposal, ...record }) => record)
}
