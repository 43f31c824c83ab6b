/** What a file edit would change, as the core previewed it: a unified diff, or why there is none. */
import type { ActionPreview } from '../../../shared/preview'
import { unifiedLines } from '../lib/unified-diff'

const CLASS = { file: 'diff-file', hunk: 'diff-hunk', same: 'diff-same', removed: 'diff-before', added: 'diff-after', note: 'diff-same' }

export function DiffPreview({ preview, loading }: { preview: ActionPreview | null; loading: boolean }) {
  if (!preview || preview.kind === 'none') return loading ? <p className="muted">Reading the file…</p> : null
  return (
    <section className="diff-preview" data-testid="diff-preview" data-kind={preview.kind} aria-busy={loading}>
      <h4>
        What changes in the workspace
        {preview.kind === 'diff' && (
          <span className="muted">
            {' '}
            · {preview.path}
            {preview.created ? ' (new file)' : ''} · +{preview.added} −{preview.removed}
          </span>
        )}
      </h4>
      {preview.kind === 'diff' ? (
        <pre className="text-diff unified-diff" data-testid="diff-preview-lines">
          {unifiedLines(preview.path, preview.hunks, preview.created).map((l, n) => (
            <div key={n} className={CLASS[l.kind]}>
              {l.text}
            </div>
          ))}
        </pre>
      ) : (
        <p className={preview.kind === 'unchanged' ? 'muted' : 'warn'} data-testid="diff-preview-message">
          {preview.message}
        </p>
      )}
    </section>
  )
}
