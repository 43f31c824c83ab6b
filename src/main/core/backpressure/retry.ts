/**
 * Retries with exponential backoff and full jitter (delay = random × min(cap, base × 2^n)),
 * except when the provider says how long to wait (`retry-after`): then that wait is honoured.
 * Gives up after `maxAttempts` or when the next wait would overrun `maxTotalMs`.
 */
import type { Clock } from './clock'

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Time budget for all attempts and waits together. */
  maxTotalMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 20_000, maxTotalMs: 120_000 }

export interface RetryHooks {
  clock: Clock
  signal?: AbortSignal
  /** In [0, 1); injected so tests are exact. */
  random?: () => number
  /** Whether this failure is worth another attempt. */
  retryable(err: unknown): boolean
  /** The provider's own wait hint, if any. */
  retryAfterMs?(err: unknown): number | null
  onRetry?(info: { attempt: number; delayMs: number; error: unknown }): void
}

export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.floor(random() * ceiling)
}

export async function withRetries<T>(policy: RetryPolicy, hooks: RetryHooks, call: (attempt: number) => Promise<T>): Promise<T> {
  const { clock, signal } = hooks
  const random = hooks.random ?? Math.random
  const started = clock.now()
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt)
    } catch (err) {
      if (signal?.aborted || !hooks.retryable(err)) throw err
      if (attempt >= policy.maxAttempts) throw giveUp(err, `gave up after ${attempt} attempts`)
      const hinted = hooks.retryAfterMs?.(err) ?? null
      const delayMs = hinted ?? backoffDelay(policy, attempt, random)
      const elapsed = clock.now() - started
      if (elapsed + delayMs > policy.maxTotalMs) {
        throw giveUp(err, `gave up after ${attempt} attempts: waiting ${delayMs} ms more would pass the ${policy.maxTotalMs} ms retry budget`)
      }
      hooks.onRetry?.({ attempt, delayMs, error: err })
      await clock.sleep(delayMs, signal)
    }
  }
}

function giveUp(err: unknown, note: string): unknown {
  if (err instanceof Error) err.message = `${err.message} (${note})`
  return err
}
