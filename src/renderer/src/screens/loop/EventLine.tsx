/** An event around an iteration (a pause, a patch, an escalation…) as a sentence with its wall-clock time. */
import type { StoredEvent } from '../../../../shared/events'
import { fmtDateTime, fmtWhen, json } from '../../lib/format'
import { pauseSentence } from '../../lib/pause'

function sentence(e: StoredEvent, now: number): string {
  switch (e.type) {
    case 'Paused':
      return pauseSentence(e.data, e.data.resumeAt ?? null, now)
    case 'Resumed':
      return `resumed by ${e.data.by}`
    case 'Escalated':
      return `escalated: ${e.data.packet.summary}`
    case 'StatePatched': {
      const why = e.data.why ? `: ${e.data.why}` : ''
      const modes = e.data.patch.ops.flatMap((op) => (op.op === 'setAutonomy' ? [op.mode] : []))
      // A change of autonomy is a patch like any other, named for what it did.
      if (modes.length > 0 && modes.length === e.data.patch.ops.length) return `autonomy set to ${modes[modes.length - 1]} by ${e.data.by}${why}`
      return `state patched by ${e.data.by}${why}`
    }
    case 'ActionAnswered':
      return `answered by ${e.data.by} instead of running it (counts as ${e.data.ok ? 'succeeded' : 'failed'}): ${e.data.answer.length > 300 ? `${e.data.answer.slice(0, 300)}…` : e.data.answer}`
    case 'Interrupted':
      return `interrupted: ${e.data.detail}`
    case 'Terminated':
      return `terminated: ${e.data.reason}${e.data.detail ? ` — ${e.data.detail}` : ''}`
    default:
      return e.type
  }
}

/** When an event happened: the time, or the date too when it was not today; the full date on hover. */
export function EventTime({ at }: { at: number }) {
  return (
    <time className="event-time" dateTime={new Date(at).toISOString()} title={fmtDateTime(at)} data-testid="event-time">
      {fmtWhen(at, Date.now())}
    </time>
  )
}

export function EventLine({ event }: { event: StoredEvent }) {
  return (
    <section className="event-line" data-testid="event-line" data-type={event.type}>
      <p>
        <EventTime at={event.at} /> {sentence(event, Date.now())}
      </p>
      <details className="json-block">
        <summary>as recorded</summary>
        <pre className="args">{json(event.data)}</pre>
      </details>
    </section>
  )
}
