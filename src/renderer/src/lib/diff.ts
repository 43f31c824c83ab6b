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
  return lines
}
