import { describe, expect, it } from 'vitest'
import { Backpressure, ProviderError } from '../../src/main/core/backpressure'
import { PolicyError } from '../../src/main/core/policies/policy'
import { fakeClock } from './backpressure-fake-clock'

const usage = (costUsd: number) => ({ inputTokens: 1, outputTokens: 1, costUsd })

describe('ProviderGuard', () => {
  it('retries a 429 after its retry-after, then succeeds and records the cost', async () => {
    const clock = fakeClock()
    const bp = new Backpressure({ clock, random: () => 0 })
    let n = 0
    const out = await bp.provider('anthropic').call(
      async () => {
        if (n++ === 0) throw new ProviderError('rate-limited', '429', 2_000)
        return { cost: 0.25 }
      },
      { costOf: (r) => r.cost }
    )
    expect(out.cost).toBe(0.25)
    expect(clock.sleeps).toEqual([2_000])
    expect(bp.ledger.spentToday()).toBe(0.25)
  })

  it('opens the circuit after repeated server errors and then fails fast without calling', async () => {
    const clock = fakeClock()
    const bp = new Backpressure({ clock, random: () => 0, retry: { maxAttempts: 10 }, circuit: { failureThreshold: 3, coolDownMs: 30_000 } })
    let calls = 0
    const fail = async (): Promise<never> => {
      calls++
      throw new PolicyError('server', '500')
    }
    await expect(bp.provider('anthropic').call(fail)).rejects.toMatchObject({ kind: 'circuit-open' })
    expect(calls).toBe(3)
    await expect(bp.provider('anthropic').call(fail)).rejects.toMatchObject({ kind: 'circuit-open' })
    expect(calls).toBe(3)
    // Another provider is unaffected.
    await expect(bp.provider('other').call(async () => 'fine')).resolves.toBe('fine')
  })

  it('permanent failures do not trip the breaker but their usage still counts', async () => {
    const bp = new Backpressure({ clock: fakeClock(), circuit: { failureThreshold: 1 } })
    const g = bp.provider('anthropic')
    await expect(g.call(async () => Promise.reject(new PolicyError('max-tokens', 'cut', usage(0.1))))).rejects.toMatchObject({ kind: 'max-tokens' })
    expect(g.breaker.state).toBe('closed')
    expect(bp.ledger.spentToday()).toBeCloseTo(0.1)
  })

  it('stops calls once the global daily budget is spent', async () => {
    const bp = new Backpressure({ clock: fakeClock(), dailyBudgetUsd: 0.5 })
    const g = bp.provider('anthropic')
    await g.call(async () => 1, { costOf: () => 0.5 })
    let called = false
    await expect(g.call(async () => (called = true))).rejects.toMatchObject({ kind: 'daily-budget' })
    expect(called).toBe(false)
  })

  it('limits concurrent calls per provider', async () => {
    const bp = new Backpressure({ concurrency: 2 })
    const g = bp.provider('anthropic')
    let now = 0
    let peak = 0
    await Promise.all(
      Array.from({ length: 6 }, () =>
        g.call(async () => {
          peak = Math.max(peak, ++now)
          await new Promise((r) => setTimeout(r, 2))
          now--
        })
      )
    )
    expect(peak).toBe(2)
  })
})
