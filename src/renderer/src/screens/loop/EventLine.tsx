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
    case 'StatePatched':
      return `state patched by ${e.data.by}${e.data.why ? `: ${e.data.why}` : ''}`
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
