import { beforeAll, describe, expect, it, vi } from 'vitest'
import { pauseSentence } from './pause'

beforeAll(() => {
  vi.stubEnv('TZ', 'UTC')
})

const circuit = { by: 'circuit-breaker', reason: 'anthropic https://api.anthropic.com key:ab12cd34 circuit is open after 5 consecutive failures; next probe in 30 s' }

describe('the pause reason', () => {
  it('names the endpoint whose circuit is open and counts down to the resume', () => {
    expect(pauseSentence(circuit, 100_000, 58_000)).toBe('paused: the circuit for api.anthropic.com is open; resumes in 0:42')
    // Read later (an event in the history), the countdown has become a time.
    expect(pauseSentence(circuit, Date.UTC(2025, 0, 1, 9, 30, 5), Date.UTC(2025, 0, 1, 10))).toBe('paused: the circuit for api.anthropic.com is open; its next probe was due at 09:30:05')
  })

  it('says who paused it and why otherwise', () => {
    expect(pauseSentence({ by: 'operator', reason: 'paused by operator' }, null, 0)).toBe('paused by operator')
    expect(pauseSentence({ by: 'shutdown', reason: 'Andon is quitting' }, null, 0)).toBe('paused by shutdown: Andon is quitting')
    expect(pauseSentence({ by: 'ana', reason: '' }, null, 0)).toBe('paused by ana')
  })
})
