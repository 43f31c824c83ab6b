/**
 * The gate's error rates, by simulation through compareRuns (the report the CLI and GUI show):
 * two identical specs must be called `worse` at most 1 − confidence of the time, even with one
 * case × 5 runs and zero tolerance on cost and iterations; a real difference must be found.
 */
import { describe, expect, it } from 'vitest'
import { compareRuns, type GateRun } from '../../src/main/core/eval/gate'
import { seededRandom } from '../../src/main/core/eval/stats'
import { parseSuite } from '../../src/main/core/eval/suite'
import type { GateSettings, GateSide } from '../../src/shared/eval'

const side = (name: string): GateSide => ({ name, specPath: `/x/${name}.yaml`, specName: 'loop', version: name, system: null })

interface RunLaw {
  passRate: number
  /** Added to the iterations and the cost of every run. */
  moreIterations?: number
  moreCost?: number
}

/** Runs of `cases` cases × `repetitions` per side, each side drawn from its own law. */
function simulate(random: () => number, cases: number, repetitions: number, laws: Record<GateRun['side'], RunLaw[]>): GateRun[] {
  const runs: GateRun[] = []
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    for (let c = 0; c < cases; c++) {
      for (const s of ['baseline', 'candidate'] as const) {
        const law = laws[s][c]
        const passed = random() < law.passRate
        runs.push({
          name: `case ${c}`,
          side: s,
          repetition,
          loopId: `loop-${runs.length}`,
          outcome: passed ? 'SUCCESS' : 'MAX_ITERATIONS',
          expected: 'SUCCESS',
          passed,
          reason: passed ? 'SUCCESS' : 'MAX_ITERATIONS',
          status: 'terminated',
          detail: '',
          // A skewed count of iterations and a continuous, skewed cost: where a percentile bootstrap of two small samples is too eager.
          iterations: 1 + Math.floor(-Math.log(1 - random()) * 3) + (law.moreIterations ?? 0),
          iterationsChecked: 1,
          iterationsWithViolation: 0,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0.02 * Math.exp(1.2 * normal(random)) + (law.moreCost ?? 0)
        })
      }
    }
  }
  return runs
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

function verdicts(opts: { cases: number; repetitions: number; trials: number; seed: number; resamples: number; laws: (c: number) => Record<GateRun['side'], RunLaw> }) {
  const suite = parseSuite(`name: sim\ncases: [${Array.from({ length: opts.cases }, (_, c) => `{ name: case ${c} }`).join(', ')}]\n`, '/x/sim.yaml')
  const settings: GateSettings = { confidence: 0.95, maxPassRateDrop: 0, maxCostIncrease: 0, maxIterationsIncrease: 0, seed: 0, resamples: opts.resamples }
  const random = seededRandom(opts.seed)
  const laws = Array.from({ length: opts.cases }, (_, c) => opts.laws(c))
  const count = { worse: 0, better: 0, 'no difference': 0 }
  for (let t = 0; t < opts.trials; t++) {
    const runs = simulate(random, opts.cases, opts.repetitions, { baseline: laws.map((l) => l.baseline), candidate: laws.map((l) => l.candidate) })
    const r = compareRuns({ suite, baseline: side('a'), candidate: side('b'), repetitions: opts.repetitions, settings: { ...settings, seed: t + 1 }, runs })
    count[r.verdict]++
  }
  return { worse: count.worse / opts.trials, better: count.better / opts.trials }
}

const same = (passRate: number) => () => ({ baseline: { passRate }, candidate: { passRate } })

describe('identical specs are rarely called worse (at most 1 − confidence, by simulation)', () => {
  it('one case × 5 runs, zero tolerance on cost and iterations', () => {
    const rate = verdicts({ cases: 1, repetitions: 5, trials: 2000, seed: 11, resamples: 200, laws: same(0.5) })
    expect(rate.worse).toBeLessThanOrEqual(0.05 + 0.005)
    expect(rate.better).toBeLessThanOrEqual(0.05 + 0.005)
  })

  it('three cases of different difficulty × 5 runs', () => {
    const rate = verdicts({ cases: 3, repetitions: 5, trials: 1000, seed: 12, resamples: 200, laws: (c) => same([0.2, 0.5, 0.9][c])() })
    expect(rate.worse).toBeLessThanOrEqual(0.05 + 0.007)
  })
})

describe('a real difference is found', () => {
  it('a candidate that costs $0.50 more per run, one case × 5 runs', () => {
    const rate = verdicts({ cases: 1, repetitions: 5, trials: 100, seed: 13, resamples: 2000, laws: () => ({ baseline: { passRate: 0.8 }, candidate: { passRate: 0.8, moreCost: 0.5 } }) })
    expect(rate.worse).toBeGreaterThanOrEqual(0.95)
  })

  it('a candidate that takes 10 more iterations per run, two cases × 5 runs', () => {
    const rate = verdicts({ cases: 2, repetitions: 5, trials: 100, seed: 14, resamples: 2000, laws: () => ({ baseline: { passRate: 0.8 }, candidate: { passRate: 0.8, moreIterations: 10 } }) })
    expect(rate.worse).toBeGreaterThanOrEqual(0.95)
  })

  it('a candidate that breaks one case of three (passes 1 run in 20 where the baseline passed 19 in 20), 10 runs', () => {
    const rate = verdicts({
      cases: 3,
      repetitions: 10,
      trials: 100,
      seed: 15,
      resamples: 200,
      laws: (c) => (c === 0 ? { baseline: { passRate: 0.95 }, candidate: { passRate: 0.05 } } : same(0.7)())
    })
    expect(rate.worse).toBeGreaterThanOrEqual(0.9)
  })
})
