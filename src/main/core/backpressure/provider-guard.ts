/**
 * Every call to a provider goes through its guard: global daily budget → concurrency slot →
 * circuit breaker → the call, retried with backoff on transient failures. Costs of answered
 * calls (failed ones too) feed the daily ledger.
 */
import { PolicyError } from '../policies/policy'
import { DailyBudgetLedger } from './budget-ledger'
import { CircuitBreaker, DEFAULT_CIRCUIT, type CircuitOptions } from './circuit-breaker'
import { systemClock, type Clock } from './clock'
import { isTransient, retryAfterOf } from './errors'
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry'
import { Semaphore } from './semaphore'

export interface BackpressureOptions {
  clock?: Clock
  random?: () => number
  retry?: Partial<RetryPolicy>
  circuit?: Partial<CircuitOptions>
  /** Calls in flight at once, per provider. */
  concurrency?: number
  /** Global daily spend limit in USD (UTC days); null or absent: unlimited. */
  dailyBudgetUsd?: number | null
  /** Spend already made today, e.g. restored from the store. */
  spentTodayUsd?: number
}

export interface GuardedCall<T> {
  signal?: AbortSignal
  /** Cost in USD of an answered call, for the daily ledger. */
  costOf?(result: T): number
  onRetry?(info: { attempt: number; delayMs: number; error: unknown }): void
}

export class ProviderGuard {
  readonly breaker: CircuitBreaker
  readonly slots: Semaphore

  constructor(
    readonly provider: string,
    private readonly owner: Backpressure
  ) {
    const o = owner.options
    this.breaker = new CircuitBreaker(provider, { ...DEFAULT_CIRCUIT, ...o.circuit }, owner.clock)
    this.slots = new Semaphore(o.concurrency ?? 4)
  }

  call<T>(fn: (attempt: number) => Promise<T>, opts: GuardedCall<T> = {}): Promise<T> {
    const { clock, ledger, options } = this.owner
    return withRetries(
      { ...DEFAULT_RETRY, ...options.retry },
      {
        clock,
        signal: opts.signal,
        random: options.random,
        retryable: isTransient,
        retryAfterMs: retryAfterOf,
        onRetry: opts.onRetry
      },
      async (attempt) => {
        ledger.check()
        const release = await this.slots.acquire(opts.signal)
        try {
          this.breaker.admit()
          return await this.attempt(fn, attempt, opts)
        } finally {
          release()
        }
      }
    )
  }

  private async attempt<T>(fn: (attempt: number) => Promise<T>, attempt: number, opts: GuardedCall<T>): Promise<T> {
    const { ledger } = this.owner
    try {
      const result = await fn(attempt)
      this.breaker.succeeded()
      ledger.record(opts.costOf?.(result) ?? 0)
      return result
    } catch (err) {
      if (opts.signal?.aborted) this.breaker.released()
      else if (isTransient(err)) this.breaker.failed()
      // The provider answered, just not usefully (bad request, malformed, max tokens): it is healthy.
      else this.breaker.succeeded()
      if (err instanceof PolicyError && err.usage) ledger.record(err.usage.costUsd)
      throw err
    }
  }
}

/** The shared backpressure state of one process: a guard per provider and one daily ledger. */
export class Backpressure {
  readonly clock: Clock
  readonly ledger: DailyBudgetLedger
  private readonly guards = new Map<string, ProviderGuard>()

  constructor(readonly options: BackpressureOptions = {}) {
    this.clock = options.clock ?? systemClock
    this.ledger = new DailyBudgetLedger(options.dailyBudgetUsd ?? null, this.clock, options.spentTodayUsd ?? 0)
  }

  provider(name: string): ProviderGuard {
    let g = this.guards.get(name)
    if (!g) this.guards.set(name, (g = new ProviderGuard(name, this)))
    return g
  }
}

let shared: Backpressure | null = null

/**
 * The process-wide instance used when the caller passes none. Its daily limit comes from
 * ANDON_DAILY_BUDGET_USD in the environment it is first created with.
 */
export function sharedBackpressure(env: Record<string, string | undefined> = {}): Backpressure {
  if (!shared) {
    const limit = Number(env.ANDON_DAILY_BUDGET_USD)
    shared = new Backpressure({ dailyBudgetUsd: Number.isFinite(limit) && limit > 0 ? limit : null })
  }
  return shared
}

/** The backpressure a caller was given, else the process-wide one. */
export function backpressureOf(deps: { backpressure?: Backpressure; env: Record<string, string | undefined> }): Backpressure {
  return deps.backpressure ?? sharedBackpressure(deps.env)
}

/** Replace the process-wide instance (a shell applying settings, or a test wanting fast retries). */
export function setSharedBackpressure(bp: Backpressure | null): void {
  shared = bp
}
