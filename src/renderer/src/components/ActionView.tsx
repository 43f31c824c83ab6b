/** One tool call in full: a command as a block, an edit as a line diff, a write as its content, anything else as JSON. */
import type { Action } from '../../../shared/spec'
import { describeAction, type ActionDetail } from '../lib/action-detail'
import { summarizeAction } from '../lib/actions'
import type { TextLine } from '../lib/diff'
import { json } from '../lib/format'

/** Longer content starts folded: the operator should see the call's shape before scrolling through a file. */
const FOLD_LINES = 20

function TextDiff({ lines }: { lines: TextLine[] }) {
  return (
    <pre className="text-diff" data-testid="action-diff">
      {lines.map((l, n) => (
        <div key={n} className={l.op === '-' ? 'diff-before' : l.op === '+' ? 'diff-after' : 'diff-same'}>
          {l.op} {l.text}
        </div>
      ))}
    </pre>
  )
}

function Body({ d }: { d: ActionDetail }) {
  switch (d.kind) {
    case 'command':
      return (
        <>
          {d.description && <p className="action-note">{d.description}</p>}
          <pre className="command" data-testid="action-command">
            {d.command}
          </pre>
          {d.notes.length > 0 && <p className="muted">{d.notes.join(' · ')}</p>}
        </>
      )
    case 'edit':
      return (
        <>
          {d.edits.map((e, n) => (
            <div key={n}>
              {(d.edits.length > 1 || e.note) && <p className="muted">{[d.edits.length > 1 ? `edit ${n + 1} of ${d.edits.length}` : '', e.note].filter(Boolean).join(' · ')}</p>}
              <TextDiff lines={e.lines} />
            </div>
          ))}
        </>
      )
    case 'write':
      return (
        <>
          <p className="action-note">
            Creates or overwrites <code>{d.file}</code> · {d.lines} {d.lines === 1 ? 'line' : 'lines'}
          </p>
          <details className="json-block" open={d.lines <= FOLD_LINES}>
            <summary>content</summary>
            <pre data-testid="action-content">{d.content}</pre>
          </details>
        </>
      )
    case 'json':
      return <pre className="args">{json(d.args)}</pre>
  }
}

/** `raw`: also offer the input as JSON (not where an editor already shows it). */
export function ActionView({ action, workspace, raw = true }: { action: Action; workspace?: string | null; raw?: boolean }) {
  const detail = describeAction(action, workspace)
  return (
    <div className="action-view" data-testid="action-view" data-tool={action.tool}>
      <p className="action-summary" data-testid="action-summary">
        {summarizeAction(action, workspace)}
      </p>
      <Body d={detail} />
      {raw && detail.kind !== 'json' && (
        <details className="json-block">
          <summary>raw input</summary>
          <pre className="args">{json(action.args)}</pre>
        </details>
      )}
    </div>
  )
}
