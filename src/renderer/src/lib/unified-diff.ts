/** Unified-diff hunks (from the core's preview) as the lines a reader scans: header, hunk markers, kept/removed/added lines. */
import type { PreviewHunk } from '../../../shared/preview'

export interface UnifiedLine {
  kind: 'file' | 'hunk' | 'same' | 'removed' | 'added' | 'note'
  text: string
}

const KIND: Record<string, UnifiedLine['kind']> = { ' ': 'same', '-': 'removed', '+': 'added', '\\': 'note' }

/** `created`: the old side is /dev/null, as `diff -u` writes a new file. */
export function unifiedLines(path: string, hunks: PreviewHunk[], created = false): UnifiedLine[] {
  const out: UnifiedLine[] = [
    { kind: 'file', text: `--- ${created ? '/dev/null' : `a/${path}`}` },
    { kind: 'file', text: `+++ b/${path}` }
  ]
  for (const h of hunks) {
    out.push({ kind: 'hunk', text: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` })
    for (const line of h.lines) out.push({ kind: KIND[line[0]] ?? 'same', text: line })
  }
  return out
}
