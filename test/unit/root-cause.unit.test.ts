/**
 * The root-cause classifier over recorded histories (test/golden/root-causes, recorded from real
 * runs): each stop, classified again from the events before it, gets the expected category, the
 * invariant that stopped it and the first failing iteration; plus the table behind the categories.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUILTIN_INVARIANTS } from '../../src/main/core/invariants/registry'
import { BUILTIN_CATEGORY, categoryOfInvariant } from '../../src/main/core/diagnosis/categories'
import { classifyRun, type ClassifyInput } from '../../src/main/core/diagnosis/classify'
import { StoredEventSchema, type StoredEvent } from '../../src/shared/events'
import { RootCauseCategory } from '../../src/shared/root-cause'
import { fold } from '../../src/shared/state'
import { ROOT_CAUSE_CASES } from '../golden/root-causes/cases'

const DIR = join(__dirname, '../golden/root-causes')

/** A recorded history as stored events (the recording normalized ids and zeroed times). */
function history(name: string): StoredEvent[] {
  return readFileSync(join(DIR, `${name}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((line, i) => {
      const { type, data } = JSON.parse(line) as { type: string; data: unknown }
      return StoredEventSchema.parse({ type, data, loopId: 'loop-1', version: i + 1, seq: i + 1, at: 0 }) as StoredEvent
    })
}

/** Each stop of the history with what the classifier is handed there: the state and events before it. */
function stops(events: StoredEvent[]): { input: ClassifyInput; recorded: unknown }[] {
  return events.flatMap((e, i): { input: ClassifyInput; recorded: unknown }[] => {
    const before = events.slice(0, i)
    const state = fold('loop-1', before)
    if (e.type === 'Escalated') {
      const p = e.data.packet
      const stop = { kind: 'escalated' as const, failing: p.failingInvariants.map((f) => f.name), summary: p.summary, escalation: p.kind }
      return [{ input: { state, events: before, stop }, recorded: p.rootCause }]
    }
    if (e.type === 'Terminated' && e.data.reason !== 'SUCCESS') {
      // An abort of an escalation keeps the escalation's root cause: classify it as that escalation was.
      const prev = events[i - 1]
      if (prev?.type === 'EscalationResolved' && prev.data.resolution === 'abort') {
        const at = events.findLastIndex((x, j) => j < i && x.type === 'Escalated')
        const escalated = events[at]
        if (escalated?.type !== 'Escalated') throw new Error('an aborted escalation with no escalation before it')
        const p = escalated.data.packet
        const stop = { kind: 'escalated' as const, failing: p.failingInvariants.map((f) => f.name), summary: p.summary, escalation: p.kind }
        return [{ input: { state: fold('loop-1', events.slice(0, at)), events: events.slice(0, at), stop }, recorded: e.data.rootCause }]
      }
      if (e.data.reason === 'CANCELLED') return []
      return [{ input: { state, events: before, stop: { kind: 'terminated' as const, reason: e.data.reason, detail: e.data.detail } }, recorded: e.data.rootCause }]
    }
    return []
  })
}

describe('root causes of recorded failed runs', () => {
  for (const [name, expected] of Object.entries(ROOT_CAUSE_CASES)) {
    it(`${name}: ${expected[0].category}`, () => {
      const found = stops(history(name))
      // Every stop the recording holds, each with its own expected cause, in order.
      expect(found).toHaveLength(expected.length)
      for (const [i, { input, recorded }] of found.entries()) {
        const cause = classifyRun(input)
        expect({ category: cause.category, invariant: cause.invariant, firstFailingIteration: cause.firstFailingIteration }, `stop ${i + 1}`).toEqual(expected[i])
        expect(cause.detail.length).toBeGreaterThan(10)
        // What the engine recorded when the run stopped is what the classifier says now.
        expect(recorded).toEqual(cause)
      }
    })
  }

  it('an aborted escalation keeps the root cause the escalation was raised with', () => {
    const events = history('operator-rejection')
    const escalated = events.find((e) => e.type === 'Escalated')
    const terminated = events.find((e) => e.type === 'Terminated')
    expect(escalated?.type === 'Escalated' && escalated.data.packet.rootCause).toBeTruthy()
    expect(terminated?.type === 'Terminated' && terminated.data.rootCause).toEqual(escalated?.type === 'Escalated' && escalated.data.packet.rootCause)
  })

  it('the looping history, classified at its escalation, points at the first of the repeated calls, not the last', () => {
    const events = history('looping')
    const at = events.findIndex((e) => e.type === 'Escalated')
    const cause = classifyRun({ state: fold('loop-1', events.slice(0, at)), events: events.slice(0, at), stop: { kind: 'escalated', failing: ['no-looping'], summary: '', escalation: 'invariant' } })
    expect(cause.firstFailingIteration).toBe(1)
    expect(fold('loop-1', events.slice(0, at)).iteration).toBe(3)
  })

  it('of two failing invariants the more specific category wins, whatever their order', () => {
    const events = history('looping')
    const at = events.findIndex((e) => e.type === 'Escalated')
    const input = (failing: string[]): ClassifyInput => ({ state: fold('loop-1', events.slice(0, at)), events: events.slice(0, at), stop: { kind: 'escalated', failing, summary: '' } })
    expect(classifyRun(input(['tool-error-streak', 'no-looping'])).category).toBe('looping')
    expect(classifyRun(input(['no-looping', 'tool-error-streak'])).category).toBe('looping')
    expect(classifyRun(input(['no-looping', 'budget'])).category).toBe('budget')
  })
})

describe('every invariant has a category', () => {
  it('each built-in invariant of the registry maps to a category, and the table names no other', () => {
    const names = BUILTIN_INVARIANTS.map((d) => d.name).sort()
    expect(Object.keys(BUILTIN_CATEGORY).sort()).toEqual(names)
    for (const name of names) expect(RootCauseCategory.options).toContain(categoryOfInvariant(name, []))
  })

  it("a spec's own invariant is a guardrail, even one named like a built-in", () => {
    const own = { name: 'budget', expr: 'true', when: 'after-iteration' as const, severity: 'escalate' as const, remediation: '' }
    expect(categoryOfInvariant('budget', [own])).toBe('guardrail')
    expect(categoryOfInvariant('budget', [])).toBe('budget')
  })
})
