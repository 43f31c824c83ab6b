/**
 * Timing helpers for `npm run bench`. Every figure is measured over rounds; every ratio is
 * paired round by round (reference and subject alternate in one process, the order flipping
 * each round) and printed with min/median/max and the number of rounds. `--quick` runs fewer,
 * smaller rounds and checks each stated ratio against its floor (see `expectRatio`).
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const QUICK = process.argv.includes('--quick')
/** Rounds of a paired comparison (ANDON_BENCH_ROUNDS overrides: more rounds on a busy machine). */
export const ROUNDS = Number(process.env.ANDON_BENCH_ROUNDS ?? (QUICK ? 3 : 7))

export async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint()
  const value = await fn()
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value }
}

/** Run `fn` in a fresh temp dir, removed afterwards. */
export async function inTempDir<T>(fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'andon-bench-'))
  try {
    return await fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One side of a paired comparison: does the same work as the other side, returns the ms it took. */
export type Trial = (dir: string) => Promise<number> | number

export interface Paired {
  /** ms per round, reference and subject, in round order. */
  reference: number[]
  subject: number[]
  /** Per round: reference ms / subject ms, i.e. the subject's speed as a fraction of the reference's. */
  ratios: number[]
}

/**
 * Measure `reference` and `subject` round by round in this process, each on a fresh temp dir,
 * the order alternating (even rounds the reference first) so drift in the machine cancels.
 */
export async function paired(reference: Trial, subject: Trial, rounds = ROUNDS): Promise<Paired> {
  const out: Paired = { reference: [], subject: [], ratios: [] }
  for (let r = 0; r < rounds; r++) {
    let refMs = 0
    let subMs = 0
    if (r % 2 === 0) {
      refMs = await inTempDir(reference)
      subMs = await inTempDir(subject)
    } else {
      subMs = await inTempDir(subject)
      refMs = await inTempDir(reference)
    }
    out.reference.push(refMs)
    out.subject.push(subMs)
    out.ratios.push(refMs / subMs)
  }
  return out
}

/** `rounds` samples of one figure (each sample itself may be a median over many events). */
export async function sampled(fn: Trial, rounds = ROUNDS): Promise<number[]> {
  const out: number[] = []
  for (let r = 0; r < rounds; r++) out.push(await inTempDir(fn))
  return out
}

export const rate = (n: number, ms: number) => Math.round((n / ms) * 1000)
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

export function row(name: string, value: string, detail?: string): void {
  console.log(`${name.padEnd(62)} ${value.padStart(20)}  ${detail ?? ''}`)
}

export function section(title: string): void {
  console.log(`\n## ${title}`)
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo)
}
export const median = (xs: number[]) => quantile(xs, 0.5)

export const ms = (n: number) => `${n.toFixed(1)} ms`
export const times = (n: number) => `${n.toFixed(2)}×`
export const perSecond = (unit: string) => (n: number) => `${fmt(n)} ${unit}/s`

/** A figure over rounds: its median as the value, min/max and the number of rounds beside it. */
export function spreadRow(name: string, perRound: number[], f: (n: number) => string): void {
  if (perRound.length === 0) throw new Error(`${name}: no rounds measured`)
  row(name, f(median(perRound)), `min ${f(Math.min(...perRound))}, max ${f(Math.max(...perRound))}, ${perRound.length} rounds`)
}

/** A paired ratio: median over rounds, min/max, rounds. */
export function ratioRow(name: string, ratios: number[]): void {
  spreadRow(name, ratios, times)
}

export interface RatioCheck {
  name: string
  median: number
  floor: number
}
const checks: RatioCheck[] = []

/**
 * State what a ratio must stay above. The full bench prints the floor beside the figure; `--quick`
 * (CI) fails the run when a median falls below it. Floors are the target divided by a stated
 * factor for noisy shared machines, so a check fails on a real regression, not on a busy core.
 */
export function expectRatio(name: string, ratios: number[], floor: number): void {
  const m = median(ratios)
  checks.push({ name, median: m, floor })
  row(`  check: ${name}`, `${times(m)} ≥ ${times(floor)}`, m >= floor ? 'ok' : 'BELOW THE FLOOR')
}

/** The checks that failed (empty when all held). */
export function failedChecks(): RatioCheck[] {
  return checks.filter((c) => c.median < c.floor)
}

/** Every check stated so far, in order (the run's summary lists them). */
export function allChecks(): readonly RatioCheck[] {
  return checks
}

const skips: string[] = []

/** A section that cannot run here (no Chromium, no Claude Code) says why and is listed as skipped, not failed. */
export function skipSection(reason: string): void {
  skips.push(reason)
  console.log(`skipped: ${reason}`)
}

/** The reasons given by skipSection so far, in order. */
export function skippedSections(): readonly string[] {
  return skips
}

/**
 * The disk's physical commit rate: ms per 1 KB write followed by fdatasync, the floor under any
 * durable append (SQLite's WAL commit with synchronous=FULL is one such write and sync).
 */
export function fdatasyncMs(dir: string, n: number): number {
  const fd = openSync(join(dir, 'fsync.bin'), 'w')
  const kb = Buffer.alloc(1024, 120)
  try {
    const t0 = performance.now()
    for (let i = 0; i < n; i++) {
      writeSync(fd, kb, 0, kb.length, i * 1024)
      fdatasyncSync(fd)
    }
    return performance.now() - t0
  } finally {
    closeSync(fd)
  }
}
