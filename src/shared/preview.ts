/**
 * What a proposed file edit would change in the loop's workspace, read by the core with the
 * tool's own confinement, for the approval card. Hunks are unified-diff hunks: each line starts
 * with ' ' (kept), '-' (removed), '+' (added) or '\' (no newline at end of file).
 */
export interface PreviewHunk {
  oldStart: number
  oldLines: number
  newStart: number
  newLines: number
  lines: string[]
}

export type ActionPreview =
  /** The edit as a unified diff; `created`: the file does not exist yet. */
  | { kind: 'diff'; path: string; created: boolean; hunks: PreviewHunk[]; added: number; removed: number }
  /** The call would leave the file as it is. */
  | { kind: 'unchanged'; path: string; message: string }
  /** The call would fail without changing anything (a replace whose text is not in the file, a missing file). */
  | { kind: 'would-fail'; path: string; message: string }
  /** The file cannot be previewed (outside the workspace, not a regular file, too large, not UTF-8 text, bad args). */
  | { kind: 'unavailable'; path: string | null; message: string }
  /** The tool is not a file edit: nothing to preview. */
  | { kind: 'none' }
