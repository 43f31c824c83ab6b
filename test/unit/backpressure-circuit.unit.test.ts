import { describe, expect, it } from 'vitest'
import { CircuitBreaker } from '../../src/main/core/backpressure'
import { fakeClock } from './backpressure-fake-clock'

describe('CircuitBreaker', () => {
  const make = () => {
    const clock = fakeClock()
    return { clock, cb: new CircuitBreaker('anthropic', { failureThreshold: 3, coolDownMs: 10_000 }, clock) }
  }

  it('opens after N consecutive failures and then fails fast with circuit-open', () => {
    const { cb } = make()
    for (let i = 0; i < 2; i++) {
      cb.admit()
      cb.failed()
    }
    expect(cb.state).toBe('closed')
    cb.admit()
    cb.failed()
    expect(cb.state).toBe('open')
    expect(() => cb.admit()).toThrow(expect.objectContaining({ kind: 'circuit-open' }))
    expect(() => cb.admit()).toThrow(/anthropic circuit is open after 3 consecutive failures; next probe in 10 s/)
  })

  it('a success in between resets the count', () => {
    const { cb } = make()
    cb.failed()
    cb.failed()
    cb.succeeded()
    cb.failed()
    cb.failed()
    expect(cb.state).toBe('closed')
  })

  it('goes half-open after the cool-down and lets exactly one probe through', () => {
    const { cb, clock } = make()
    for (let i = 0; i < 3; i++) cb.failed()
    clock.advance(9_999)
    expect(cb.state).toBe('open')
    clock.advance(1)
    expect(cb.state).toBe('half-open')
    cb.admit()
    expect(() => cb.admit()).toThrow(/a probe call is in flight/)
  })

  it('closes when the probe succeeds', () => {
    const { cb, clock } = make()
    for (let i = 0; i < 3; i++) cb.failed()
    clock.advance(10_000)
    cb.admit()
    cb.succeeded()
    expect(cb.state).toBe('closed')
    cb.admit()
  })

  it('re-opens for another cool-down when the probe fails', () => {
    const { cb, clock } = make()
    for (let i = 0; i < 3; i++) cb.failed()
    clock.advance(10_000)
    cb.admit()
    cb.failed()
    expect(cb.state).toBe('open')
    clock.advance(5_000)
    expect(() => cb.admit()).toThrow(/next probe in 5 s/)
  })

  it('a cancelled probe frees the half-open slot', () => {
    const { cb, clock } = make()
    for (let i = 0; i < 3; i++) cb.failed()
    clock.advance(10_000)
    cb.admit()
    cb.released()
    cb.admit()
  })
})
