/**
 * Two runs side by side (e.g. a loop and its replay, or a loop and a fork): per iteration the
 * action each took and what came of it, totals, and the first iteration where they differ.
 */
import type { Action } from './spec'

export interface RunTotals {
  loopId: string
  name: string
  status: string
  terminationReason: string | null
  iterations: number
  inputTokens: number
  outputTokens: number
  costUsd: number
}

export interface ComparedStep {
  action: Action | null
  ok: boolean | null
  summary: string
  costUsd: number
  inputTokens: number
  outputTokens: number
}

export interface ComparedIteration {
  iteration: number
  a: ComparedStep | null
  b: ComparedStep | null
  /** Same action (tool and args) with the same outcome. */
  same: boolean
}

export interface LoopComparison {
  a: RunTotals
  b: RunTotals
  rows: ComparedIteration[]
  /** First iteration where the runs differ; null when they match throughout. */
  divergedAt: number | null
  divergence: string | null
}
