/** One iteration in the timeline: when it ran, what it did, how it ended, how long it took and what it cost. */
import { memo, type CSSProperties } from 'react'
import type { IterationRow } from '../../../../shared/iterations'
import { summarizeAction } from '../../lib/actions'
import { fmtClock, fmtDateTime, fmtDuration, fmtTokens, fmtUsd } from '../../lib/format'
import { gateRuleWords } from '../../lib/rule-text'

function Invariants({ inv }: { inv: IterationRow['invariants'] }) {
  if (!inv) return <span className="muted">…</span>
  if (inv.failing.length === 0) return <span className="ok">all {inv.checked} ok</span>
  return <span className="bad">✗ {inv.failing.join(', ')}</span>
}

function Result({ row }: { row: IterationRow }) {
  const cut = row.cutShort
  if (!row.result && cut) {
    return (
      <span className={cut.how === 'cancelled' ? 'muted' : 'bad'} data-testid="row-cut-short" title={cut.detail}>
        {cut.how} at {fmtClock(cut.at)}
      </span>
    )
  }
  if (!row.result) return <span className="muted">{row.approval === 'pending' ? 'awaiting approval' : '…'}</span>
  return (
    <span className={row.result.ok ? 'ok' : 'bad'}>
      {row.result.ok ? 'ok' : 'fail'} · {row.result.summary}
    </span>
  )
}

/** From its start to its end, or to what cut it short; null while it runs. */
export function iterationDuration(row: IterationRow): number | null {
  const end = row.finishedAt ?? row.cutShort?.at ?? null
  return end === null ? null : end - row.startedAt
}

export const TIMELINE_COLUMNS = ['#', 'time', 'action', 'subgoal', 'result', 'invariants', 'duration', 'tokens', 'cost'] as const

interface RowProps {
  row: IterationRow
  index: number
  workspace: string | null
  selected: boolean
  focusable: boolean
  style: CSSProperties
  onSelect: () => void
}

/**
 * The timeline re-renders on every batch of a live loop's events; a row redraws only when what it
 * shows changed. Rows are folded in place, so `version` (the row's last event) says whether the row
 * itself changed; `onSelect` is a new closure each render over the same row and selection.
 */
export function TimelineRow(props: RowProps) {
  return <RowView {...props} version={props.row.lastVersion} />
}

function sameStyle(a: CSSProperties, b: CSSProperties): boolean {
  const keys = Object.keys(a) as (keyof CSSProperties)[]
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}

const RowView = memo(
  RowBody,
  (a, b) =>
    a.row === b.row && a.version === b.version && a.index === b.index && a.selected === b.selected && a.focusable === b.focusable && a.workspace === b.workspace && sameStyle(a.style, b.style)
)

function RowBody({ row, index, workspace, selected, focusable, style, onSelect }: RowProps & { version: number }) {
  const action = row.action ? summarizeAction(row.action, workspace) : null
  // An edited approval keeps the policy's proposal beside the edit that ran.
  const proposed = row.action && row.proposedArgs ? summarizeAction({ tool: row.action.tool, args: row.proposedArgs }, workspace) : null
  return (
    <div
      className={`tl-row${selected ? ' selected' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      data-index={index}
      data-testid="iteration-row"
      data-iteration={row.iteration}
      style={style}
      onClick={onSelect}
    >
      <span className="c-it" role="gridcell">
        {row.iteration}
      </span>
      <span className="c-time" role="gridcell" data-testid="row-time" title={fmtDateTime(row.startedAt)}>
        {fmtClock(row.startedAt)}
      </span>
      <span className="c-action" role="gridcell" title={proposed ? `${action}\nproposed: ${proposed}` : (action ?? undefined)}>
        <span className="c-action-text">{action ?? <span className="muted">no action</span>}</span>
        {row.approval && row.approval !== 'auto' && (
          <span className={`approval approval-${row.approval}`} data-testid="row-approval" title={proposed ? `edited by the operator; proposed: ${proposed}` : undefined}>
            {row.approval}
          </span>
        )}
        {row.suggestion && (
          <span className="approval approval-suggestion" data-testid="row-suggestion" title="suggest-only: nothing ran unless the operator ran it">
            suggestion
          </span>
        )}
        {row.rule && (
          <span className={`approval rule-${row.rule.effect}`} data-testid="row-rule" title={gateRuleWords(row.rule)}>
            {gateRuleWords(row.rule)}
          </span>
        )}
        {row.interrupted && (
          <span className="approval approval-interrupted" data-testid="row-interrupted" title="Andon stopped during this iteration; it was carried on after the restart">
            interrupted
          </span>
        )}
      </span>
      <span className="c-subgoal" role="gridcell" title={row.subgoal}>
        {row.subgoal}
      </span>
      <span className="c-result" role="gridcell" title={row.result?.summary}>
        <Result row={row} />
      </span>
      <span className="c-inv" role="gridcell">
        <Invariants inv={row.invariants} />
      </span>
      <span className="c-dur" role="gridcell" data-testid="row-duration">
        {fmtDuration(iterationDuration(row))}
      </span>
      <span className="c-tok" role="gridcell">
        {fmtTokens(row.inputTokens + row.outputTokens)}
      </span>
      <span className="c-cost" role="gridcell" data-testid="row-cost">
        {fmtUsd(row.costUsd)}
      </span>
    </div>
  )
}
