import { describe, expect, it } from 'vitest'
import { backoffDelay, parseRetryAfter, ProviderError, withRetries, isTransient, retryAfterOf } from '../../src/main/core/backpressure'
import { PolicyError } from '../../src/main/core/policies/policy'
import { fakeClock } from './backpressure-fake-clock'

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxTotalMs: 60_000 }

function failing(errors: unknown[], value = 'ok') {
  let calls = 0
  const fn = async (): Promise<string> => {
    const e = errors[calls++]
    if (e) throw e
    return value
  }
  return { fn, calls: () => calls }
}

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0)
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('1.5', now)).toBe(1500)
  })
  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:10 GMT', now)).toBe(10_000)
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0)
  })
  it('returns null for absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeNull()
    expect(parseRetryAfter('', now)).toBeNull()
    expect(parseRetryAfter('soon', now)).toBeNull()
  })
})

describe('withRetries', () => {
  it('backs off exponentially with full jitter under a cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0.999))).toEqual([99, 199, 399, 799, 999])
    expect(backoffDelay(policy, 3, () => 0)).toBe(0)
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(200)
  })

  it('retries transient failures and returns the first success', async () => {
    const clock = fakeClock()
    const { fn, calls } = failing([new PolicyError('server', '500'), new PolicyError('timeout', 't')])
    const result = await withRetries(policy, { clock, random: () => 0.5, retryable: isTransient }, fn)
    expect(result).toBe('ok')
    expect(calls()).toBe(3)
    expect(clock.sleeps).toEqual([50, 100])
  })

  it('honours retry-after instead of the backoff', async () => {
    const clock = fakeClock()
    const { fn } = failing([new ProviderError('rate-limited', '429', 7_000)])
    await withRetries(policy, { clock, random: () => 0.5, retryable: isTransient, retryAfterMs: retryAfterOf }, fn)
    expect(clock.sleeps).toEqual([7_000])
  })

  it('does not retry permanent failures', async () => {
    const clock = fakeClock()
    const { fn, calls } = failing([new PolicyError('malformed-response', 'bad tool input')])
    await expect(withRetries(policy, { clock, retryable: isTransient }, fn)).rejects.toMatchObject({ kind: 'malformed-response' })
    expect(calls()).toBe(1)
    expect(clock.sleeps).toEqual([])
  })

  it('gives up after maxAttempts with the last error, saying so', async () => {
    const clock = fakeClock()
    const errors = Array.from({ length: 9 }, (_, i) => new PolicyError('server', `500 #${i + 1}`))
    const { fn, calls } = failing(errors)
    const err = await withRetries({ ...policy, maxAttempts: 3 }, { clock, retryable: isTransient }, fn).catch((e) => e)
    expect(calls()).toBe(3)
    expect(err).toMatchObject({ kind: 'server' })
    expect(err.message).toMatch(/500 #3 \(gave up after 3 attempts\)/)
  })

  it('gives up when a wait would overrun the total time budget', async () => {
    const clock = fakeClock()
    const { fn, calls } = failing([new ProviderError('rate-limited', '429', 5_000), new ProviderError('rate-limited', '429', 90_000)])
    const err = await withRetries(policy, { clock, retryable: isTransient, retryAfterMs: retryAfterOf }, fn).catch((e) => e)
    expect(calls()).toBe(2)
    expect(clock.sleeps).toEqual([5_000])
    expect(err.message).toMatch(/retry budget/)
  })

  it('stops when the caller aborts', async () => {
    const clock = fakeClock()
    const ac = new AbortController()
    const fn = async (): Promise<string> => {
      ac.abort()
      throw new PolicyError('server', '500')
    }
    await expect(withRetries(policy, { clock, signal: ac.signal, retryable: isTransient }, fn)).rejects.toMatchObject({ kind: 'server' })
    expect(clock.sleeps).toEqual([])
  })
})
