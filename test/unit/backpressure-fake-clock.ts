import type { Clock } from '../../src/main/core/backpressure'

/** A clock whose sleeps advance time at once and are recorded, so backoff tests are exact and instant. */
export function fakeClock(start = Date.UTC(2026, 0, 1, 12)): Clock & { sleeps: number[]; advance(ms: number): void } {
  let t = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => t,
    advance(ms) {
      t += ms
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw new Error('aborted')
      sleeps.push(ms)
      t += ms
    }
  }
}
