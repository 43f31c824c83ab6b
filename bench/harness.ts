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

/** Rounds of a paired comparison (ANDON_BENCH_ROUNDS overrides: more rounds on a busy machine). */
export const ROUNDS = Number(process.env.ANDON_BENCH_ROUNDS ?? 5)

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo)
}
export const median = (xs: number[]) => quantile(xs, 0.5)

export const ms = (n: number) => `${n.toFixed(1)} ms`
export const times = (n: number) => `${n.toFixed(2)}×`

/** A per-round figure: its median over rounds as the value, min/max beside it. */
export function spreadRow(name: string, perRound: number[], f: (n: number) => string): void {
  row(name, f(median(perRound)), `min ${f(Math.min(...perRound))}, max ${f(Math.max(...perRound))}`)
}
