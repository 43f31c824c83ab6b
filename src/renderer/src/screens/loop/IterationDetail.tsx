/** One iteration in full: the decision and its rationale, prompt and raw response, the tool call, the observation, the invariants. */
import { useEffect, useRef, useState } from 'react'
import type { EventOf, StoredEvent } from '../../../../shared/events'
import type { IterationRow } from '../../../../shared/iterations'
import { ActionView } from '../../components/ActionView'
import { loadRange, rowRange } from '../../lib/events'
import { fmtMs, fmtTokens, fmtUsd, json } from '../../lib/format'
import { plainExcerpt } from '../../lib/excerpt'
import { useStore, type Store } from '../../store'
import { errorMessage } from '../../transport'
import { EventLine, EventTime } from './EventLine'

type Stored<T extends StoredEvent['type']> = EventOf<T> & { version: number; at: number }

function find<T extends StoredEvent['type']>(events: StoredEvent[], type: T): Stored<T> | undefined {
  return events.find((e) => e.type === type) as unknown as Stored<T> | undefined
}
function findLast<T extends StoredEvent['type']>(events: StoredEvent[], type: T): Stored<T> | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i].type === type) return events[i] as unknown as Stored<T>
  return undefined
}

function Json({ label, value }: { label: string; value: unknown }) {
  if (value === undefined) return null
  return (
    <details className="json-block">
      <summary>{label}</summary>
      <pre>{json(value)}</pre>
    </details>
  )
}

const noToolOutput = (evs: StoredEvent[]) => evs.filter((e) => e.type !== 'ToolOutput')

/**
 * The events of the live iteration as pushed, when the store holds all of them (see LiveIteration):
 * the newest iteration is then shown without a fetch per pushed batch.
 */
function useLiveEvents(loopId: string, iteration: number): { events: StoredEvent[]; lastVersion: number } | null {
  const liveOf = (st: Store) => {
    const live = st.detail?.loopId === loopId ? st.detail.live : null
    return live?.complete && live.iteration === iteration ? live : null
  }
  const events = useStore((st) => liveOf(st)?.events ?? null)
  // Its newest event, tool output included (a primitive: no re-render unless it moves).
  const lastVersion = useStore((st) => {
    const live = liveOf(st)
    return Math.max(live?.events.at(-1)?.version ?? 0, live?.chunks.at(-1)?.version ?? 0)
  })
  return events && { events, lastVersion }
}

/** `next`: the row after this one, where its events end (null: this is the newest). */
export function IterationDetail({ loopId, row, next, workspace }: { loopId: string; row: IterationRow; next: IterationRow | null; workspace: string | null }) {
  const [fetched, setEvents] = useState<StoredEvent[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const pushed = useLiveEvents(loopId, row.iteration)
  const liveEvents = pushed?.events ?? null
  const live = liveEvents !== null
  // Read only while it matters (a fetched newest row ends at the loop's version): a live row does not re-render per batch for it.
  const loopVersion = useStore((st) => (liveEvents || next ? 0 : (st.detail?.state.version ?? 0)))
  const [from, to] = pushed ? [row.firstVersion, Math.max(pushed.lastVersion, row.firstVersion)] : rowRange(row, next, loopVersion)
  // When the live iteration ends, what was pushed stays on screen until its fetched events arrive.
  const lastLive = useRef<StoredEvent[] | null>(null)
  if (liveEvents) lastLive.current = liveEvents
  const events = liveEvents ? noToolOutput(liveEvents) : (fetched ?? (lastLive.current && noToolOutput(lastLive.current)))

  useEffect(() => {
    if (live) return
    let stale = false
    // Tool output can be thousands of events; the terminal shows it, this pane only needs the rest.
    const timer = setTimeout(() => {
      loadRange(loopId, from, to).then(
        (evs) => !stale && setEvents(noToolOutput(evs)),
        (err: unknown) => !stale && setError(errorMessage(err))
      )
    }, 120)
    return () => {
      stale = true
      clearTimeout(timer)
    }
  }, [loopId, from, to, live])

  const decision = events && find(events, 'DecisionMade')
  const proposed = events && find(events, 'ActionProposed')
  const approved = events && find(events, 'ActionApproved')
  const rejected = events && find(events, 'ActionRejected')
  const started = events && find(events, 'ToolStarted')
  const finished = events && find(events, 'ToolFinished')
  const observed = events && find(events, 'Observed')
  const invariants = events && findLast(events, 'InvariantChecked')
  // What ran: an operator's edited args when there were any, else the proposal.
  const tool = started?.data.tool ?? proposed?.data.action.tool
  const callAt = (started ?? proposed)?.at
  const ran = tool !== undefined ? { tool, args: started?.data.args ?? proposed?.data.action.args ?? {} } : null
  const others = events?.filter((e) => ['ActionAnswered', 'Escalated', 'StatePatched', 'Paused', 'Resumed', 'Terminated', 'Interrupted'].includes(e.type)) ?? []

  return (
    <div className="iteration-detail" data-testid="iteration-detail" data-iteration={row.iteration}>
      <div className="pane-title">
        <span>Iteration {row.iteration}</span>
        <span className="muted">
          events {from}–{to}
        </span>
      </div>
      {error && <p className="error">{error}</p>}
      {!events && !error && <p className="muted">loading…</p>}
      {decision && (
        <section>
          <h4>
            Decision · {decision.data.policy} <EventTime at={decision.at} />
          </h4>
          <p className="rationale" data-testid="decision-rationale">
            {decision.data.rationale || <span className="muted">(no rationale)</span>}
          </p>
          <dl className="kv">
            <dt>subgoal</dt>
            <dd>{decision.data.subgoal || '—'}</dd>
            <dt>confidence</dt>
            <dd>{decision.data.confidence.toFixed(2)}</dd>
            <dt>tokens</dt>
            <dd>
              {fmtTokens(decision.data.usage.inputTokens)} in / {fmtTokens(decision.data.usage.outputTokens)} out · {fmtUsd(decision.data.usage.costUsd)}
            </dd>
            <dt>latency</dt>
            <dd>{fmtMs(decision.data.latencyMs)}</dd>
          </dl>
          <Json label="prompt" value={decision.data.prompt} />
          <Json label="raw response" value={decision.data.rawResponse} />
        </section>
      )}
      {(proposed || started) && (
        <section>
          <h4>
            Tool call {callAt !== undefined && <EventTime at={callAt} />}
          </h4>
          <dl className="kv">
            <dt>tool</dt>
            <dd>{tool}</dd>
            {proposed && (
              <>
                <dt>risk</dt>
                <dd>
                  {proposed.data.risk}
                  {proposed.data.needsApproval ? ' · needed approval' : ''}
                </dd>
              </>
            )}
            {approved && (
              <>
                <dt>approved</dt>
                <dd>
                  by {approved.data.by}
                  {approved.data.editedArgs ? ' with edited args' : ''} <EventTime at={approved.at} />
                </dd>
              </>
            )}
            {rejected && (
              <>
                <dt>rejected</dt>
                <dd>
                  by {rejected.data.by}: {rejected.data.reason} <EventTime at={rejected.at} />
                </dd>
              </>
            )}
            {finished && (
              <>
                <dt>finished</dt>
                <dd>
                  {finished.data.ok ? 'ok' : 'failed'} · exit {finished.data.exitCode ?? '—'} · {fmtMs(finished.data.durationMs)} · {finished.data.outputBytes} bytes
                  {finished.data.truncated ? ' (truncated)' : ''}
                  {finished.data.error ? ` · ${finished.data.error}` : ''} <EventTime at={finished.at} />
                </dd>
              </>
            )}
          </dl>
          {proposed && approved?.data.editedArgs ? (
            // An edited approval: what ran and what the policy proposed, side by side.
            <div className="proposal-pair">
              <div data-testid="edited-call">
                <p className="warn">as run, with the operator&apos;s edit</p>
                <ActionView action={{ tool: proposed.data.action.tool, args: started?.data.args ?? approved.data.editedArgs }} workspace={workspace} />
              </div>
              <div className="approval-original" data-testid="original-proposal">
                <p className="muted">as proposed</p>
                <ActionView action={proposed.data.action} workspace={workspace} />
              </div>
            </div>
          ) : (
            ran && <ActionView action={ran} workspace={workspace} />
          )}
        </section>
      )}
      {observed && (
        <section>
          <h4>
            Observation <EventTime at={observed.at} />
          </h4>
          <p className={observed.data.observation.ok ? 'ok' : 'bad'} data-testid="observation-summary">
            {observed.data.observation.ok ? 'ok' : 'fail'} · {observed.data.observation.summary}
            {observed.data.progress ? ' · progress' : ''}
          </p>
          {observed.data.observation.excerpt && <pre className="excerpt">{plainExcerpt(observed.data.observation.excerpt)}</pre>}
        </section>
      )}
      {invariants && (
        <section>
          <h4>
            Invariants <EventTime at={invariants.at} />
          </h4>
          <table className="inv-table">
            <tbody>
              {invariants.data.results.map((r) => (
                <tr key={r.name} className={r.ok ? 'ok' : 'bad'}>
                  <td>{r.ok ? '✓' : '✗'}</td>
                  <td>{r.name}</td>
                  <td>{r.detail}</td>
                  <td className="muted">{r.ok ? '' : r.remediation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {others.map((e) => (
        <EventLine key={e.version} event={e} />
      ))}
    </div>
  )
}
