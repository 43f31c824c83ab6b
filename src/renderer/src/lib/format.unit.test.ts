import { beforeAll, describe, expect, it, vi } from 'vitest'
import { fmtClock, fmtCountdown, fmtDateTime, fmtDuration, fmtRelative, fmtUsd, fmtWhen } from './format'

beforeAll(() => {
  // Wall-clock formatting is local time: pin the zone so the expected strings hold on any machine.
  vi.stubEnv('TZ', 'UTC')
})

const at = Date.UTC(2025, 2, 4, 14, 2, 11)

describe('durations', () => {
  it('shows each span at the precision that matters for its size', () => {
    expect(fmtDuration(850)).toBe('850ms')
    expect(fmtDuration(4_250)).toBe('4.2s')
    expect(fmtDuration(59_999)).toBe('59.9s')
    expect(fmtDuration(3 * 60_000 + 5_000)).toBe('3m 05s')
    expect(fmtDuration(2 * 3_600_000 + 14 * 60_000 + 59_000)).toBe('2h 14m')
    expect(fmtDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h')
  })

  it('says there is no duration rather than inventing one', () => {
    expect(fmtDuration(null)).toBe('—')
    expect(fmtDuration(Number.NaN)).toBe('—')
    expect(fmtDuration(-20)).toBe('0ms')
  })

  it('counts down like a clock, rounding up so it never shows 0:00 while time is left', () => {
    expect(fmtCountdown(42_000)).toBe('0:42')
    expect(fmtCountdown(41_200)).toBe('0:42')
    expect(fmtCountdown(12 * 60_000 + 5_000)).toBe('12:05')
    expect(fmtCountdown(3_600_000 + 2 * 60_000 + 9_000)).toBe('1:02:09')
    expect(fmtCountdown(-5_000)).toBe('0:00')
  })
})

describe('dates and times', () => {
  it('writes a full date and a wall-clock time', () => {
    expect(fmtDateTime(at)).toBe('2025-03-04 14:02:11')
    expect(fmtClock(at)).toBe('14:02:11')
  })

  it('leaves the date out only when it is today', () => {
    expect(fmtWhen(at, at + 3_600_000)).toBe('14:02:11')
    expect(fmtWhen(at, at + 86_400_000)).toBe('2025-03-04 14:02')
  })

  it('says how long ago, or how soon', () => {
    expect(fmtRelative(at, at + 2_000)).toBe('just now')
    expect(fmtRelative(at, at + 42_000)).toBe('42s ago')
    expect(fmtRelative(at, at + 5 * 60_000 + 30_000)).toBe('5m ago')
    expect(fmtRelative(at, at + 3 * 3_600_000)).toBe('3h ago')
    expect(fmtRelative(at, at + 2 * 86_400_000)).toBe('2d ago')
    expect(fmtRelative(at + 5 * 60_000, at)).toBe('in 5m')
  })
})

describe('money', () => {
  it('keeps fractions of a cent visible', () => {
    expect(fmtUsd(0)).toBe('$0')
    expect(fmtUsd(0.0042)).toBe('$0.0042')
    expect(fmtUsd(1.5)).toBe('$1.50')
  })
})
