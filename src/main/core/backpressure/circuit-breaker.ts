/**
 * A circuit breaker per provider: after `failureThreshold` consecutive failures it opens and
 * every call fails fast with PolicyError('circuit-open') (the engine pauses loops on that kind);
 * after `coolDownMs` it lets one probe call through (half-open); a success closes it again,
 * a failure re-opens it for another cool-down.
 */
import { ProviderError } from './errors'
import type { Clock } from './clock'

export type CircuitState = 'closed' | 'open' | 'half-open'

export interface CircuitOptions {
  failureThreshold: number
  coolDownMs: number
}

export const DEFAULT_CIRCUIT: CircuitOptions = { failureThreshold: 5, coolDownMs: 30_000 }

export class CircuitBreaker {
  private failures = 0
  private openedAt: number | null = null
  private probing = false

  constructor(
    readonly provider: string,
    private readonly options: CircuitOptions,
    private readonly clock: Clock
  ) {}

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed'
    return this.clock.now() - this.openedAt >= this.options.coolDownMs ? 'half-open' : 'open'
  }

  get consecutiveFailures(): number {
    return this.failures
  }

  /** Throws PolicyError('circuit-open') unless a call may go out now. Pair with `succeeded`/`failed`. */
  admit(): void {
    const state = this.state
    if (state === 'closed') return
    if (state === 'half-open' && !this.probing) {
      this.probing = true
      return
    }
    const retryInMs = Math.max(0, this.options.coolDownMs - (this.clock.now() - (this.openedAt ?? 0)))
    throw new ProviderError(
      'circuit-open',
      `${this.provider} circuit is open after ${this.failures} consecutive failures; ` +
        (state === 'half-open' ? 'a probe call is in flight' : `next probe in ${Math.ceil(retryInMs / 1000)} s`),
      // When trying again may succeed: the engine resumes paused loops then.
      state === 'half-open' ? 1000 : retryInMs
    )
  }

  succeeded(): void {
    this.failures = 0
    this.openedAt = null
    this.probing = false
  }

  failed(): void {
    this.failures++
    if (this.probing || this.failures >= this.options.failureThreshold) this.openedAt = this.clock.now()
    this.probing = false
  }

  /** A call that ended without telling anything about the provider's health (e.g. cancelled). */
  released(): void {
    this.probing = false
  }
}
