/** Small timing helpers for `npm run bench`: best of a few runs, printed as rates and ratios. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint()
  const value = await fn()
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value }
}

/** Run `fn` `runs` times on fresh temp dirs; return the fastest (least disturbed) time. */
export async function best(runs: number, fn: (dir: string) => Promise<number> | number): Promise<number> {
  let min = Infinity
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'andon-bench-'))
    try {
      min = Math.min(min, await fn(dir))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return min
}

export const rate = (n: number, ms: number) => Math.round((n / ms) * 1000)
export const fmt = (n: number) => n.toLocaleString('en-US')

export function row(name: string, value: string, ratio?: string): void {
  console.log(`${name.padEnd(58)} ${value.padStart(18)}  ${ratio ?? ''}`)
}

export function section(title: string): void {
  console.log(`\n## ${title}`)
}
