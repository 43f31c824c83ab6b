import { systemClock } from '../backpressure/clock'

/** A policy's simulated think time (demo loops); a cancel simply ends it early. */
export function thinkTime(ms: number, signal: AbortSignal): Promise<void> {
  return systemClock.sleep(ms, signal).catch(() => undefined)
}
