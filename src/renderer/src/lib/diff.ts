/** A flat diff of two JSON values by path: what a patch changed, line by line. */
export interface DiffLine {
  path: string
  before?: string
  after?: string
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, path ? `${path}.${k}` : k, out)
  } else if (Array.isArray(value) && value.length > 0) {
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out))
  } else {
    out.set(path, JSON.stringify(value) ?? 'undefined')
  }
}

export function diffJson(before: unknown, after: unknown): DiffLine[] {
  const a = new Map<string, string>()
  const b = new Map<string, string>()
  flatten(before, '', a)
  flatten(after, '', b)
  const lines: DiffLine[] = []
  for (const [path, v] of a) {
    const w = b.get(path)
    if (w === undefined) lines.push({ path, before: v })
    else if (w !== v) lines.push({ path, before: v, after: w })
  }
  for (const [path, w] of b) if (!a.has(path)) lines.push({ path, after: w })
  // An empty list or object that gained (or lost) its first entries is told by those entries, not by a `− []` row.
  const under = (path: string, side: 'before' | 'after') =>
    lines.some((l) => l[side] !== undefined && (l.path.startsWith(`${path}.`) || l.path.startsWith(`${path}[`)))
  return lines.filter((l) => {
    const emptied = l.after === undefined && isEmptyContainer(l.before) && under(l.path, 'after')
    const filled = l.before === undefined && isEmptyContainer(l.after) && under(l.path, 'before')
    return !emptied && !filled
  })
}

const isEmptyContainer = (v: string | undefined) => v === '[]' || v === '{}'

/** One line of a text diff: kept as is, removed, or added. */
export interface TextLine {
  op: ' ' | '-' | '+'
  text: string
}

/** Past this many line pairs the LCS table costs more than it helps: show all old, then all new. */
const MAX_LCS_CELLS = 250_000

/** A line diff of two texts (an edit's old → new), the common lines kept as context. */
export function diffText(before: string, after: string): TextLine[] {
  const a = before === '' ? [] : before.split('\n')
  const b = after === '' ? [] : after.split('\n')
  // Both ending in a newline is no change worth a blank context line.
  if (a.at(-1) === '' && b.at(-1) === '') {
    a.pop()
    b.pop()
  }
  // Edits usually touch the middle of a snippet: the shared head and tail need no table.
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const same = (lines: string[]): TextLine[] => lines.map((text) => ({ op: ' ', text }))
  const mid = middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail))
  return [...same(a.slice(0, head)), ...mid, ...same(a.slice(a.length - tail))]
}

const removed = (lines: string[]): TextLine[] => lines.map((text) => ({ op: '-', text }))
const added = (lines: string[]): TextLine[] => lines.map((text) => ({ op: '+', text }))

function middle(a: string[], b: string[]): TextLine[] {
  if (a.length === 0 || b.length === 0 || a.length * b.length > MAX_LCS_CELLS) return [...removed(a), ...added(b)]
  // lcs[i][j]: longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  }
  const out: TextLine[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i] })
      i++
      j++
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', text: a[i++] })
    else out.push({ op: '+', text: b[j++] })
  }
  return [...out, ...removed(a.slice(i)), ...added(b.slice(j))]
}
