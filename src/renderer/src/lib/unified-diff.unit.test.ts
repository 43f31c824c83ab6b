import { describe, expect, it } from 'vitest'
import { unifiedLines } from './unified-diff'

describe('unified diff lines', () => {
  it('reads as diff -u: file headers, the hunk range, then each line marked kept, removed or added', () => {
    const lines = unifiedLines('math.js', [{ oldStart: 1, oldLines: 2, newStart: 1, newLines: 2, lines: [' // lib', '-a - b', '+a + b', '\\ No newline at end of file'] }])
    expect(lines.map((l) => `${l.kind}|${l.text}`)).toEqual([
      'file|--- a/math.js',
      'file|+++ b/math.js',
      'hunk|@@ -1,2 +1,2 @@',
      'same| // lib',
      'removed|-a - b',
      'added|+a + b',
      'note|\\ No newline at end of file'
    ])
  })

  it('a new file comes from /dev/null', () => {
    expect(unifiedLines('notes.txt', [], true).map((l) => l.text)).toEqual(['--- /dev/null', '+++ b/notes.txt'])
  })
})
