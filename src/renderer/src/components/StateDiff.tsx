import { diffJson } from '../lib/diff'

export function StateDiff({ before, after }: { before: unknown; after: unknown }) {
  const lines = diffJson(before, after)
  if (lines.length === 0) return <p className="muted">No change.</p>
  return (
    <table className="diff" data-testid="state-diff">
      <tbody>
        {lines.map((l) => (
          <tr key={l.path}>
            <td className="diff-path">{l.path}</td>
            <td className="diff-before">{l.before !== undefined ? `− ${l.before}` : ''}</td>
            <td className="diff-after">{l.after !== undefined ? `+ ${l.after}` : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
