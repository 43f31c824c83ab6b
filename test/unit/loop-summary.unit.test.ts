import { describe, expect, it } from 'vitest'
import type { LoopEventInput } from '../../src/shared/events'
import { LoopEventSchema } from '../../src/shared/events'
import { foldIterationRow, type IterationRow } from '../../src/shared/iterations'
import { checkedSummary } from '../../src/shared/loop-list'
import { LoopSpecSchema } from '../../src/shared/spec'
import { fold, type FoldEvent } from '../../src/shared/state'
import { summarize, TASK_EXCERPT_CHARS } from '../../src/shared/summary'
import { spec } from '../support/specs'

const tagged = spec({ name: 'tagged', tags: ['team:infra', 'nightly'], policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] } })
let version = 0
const ev = (e: LoopEventInput, at: number): FoldEvent => ({ ...LoopEventSchema.parse(e), loopId: 'l1', version: ++version, at })

describe('the loop-list row', () => {
  it('carries the task, the tags, when the loop started and ended', () => {
    version = 0
    const s = fold('l1', [
      ev({ type: 'LoopCreated', data: { spec: tagged } }, 1000),
      ev({ type: 'Started', data: {} }, 2000),
      ev({ type: 'Paused', data: { by: 'operator', reason: 'lunch' } }, 3000),
      ev({ type: 'Resumed', data: { by: 'operator' } }, 4000),
      ev({ type: 'Terminated', data: { reason: 'CANCELLED', iteration: 0 } }, 5000)
    ])
    expect(summarize(s)).toMatchObject({ task: tagged.task, tags: ['team:infra', 'nightly'], createdAt: 1000, startedAt: 2000, endedAt: 5000, pause: null })
  })

  it("carries only the opening of a long task, while the loop's state keeps all of it", () => {
    version = 0
    const long = spec({ ...tagged, name: 'long', task: `Fix the flaky test. ${'Background: '.repeat(1500)}` })
    const s = fold('l1', [ev({ type: 'LoopCreated', data: { spec: long } }, 1000)])
    const row = summarize(s)
    expect(row.task).toBe(`${long.task.slice(0, TASK_EXCERPT_CHARS)}…`)
    expect(row.task.length).toBeLessThan(400)
    expect(s.spec?.task).toBe(long.task)
    // A cut never leaves half of a character made of two UTF-16 units.
    const emoji = spec({ ...tagged, name: 'emoji', task: `${'x'.repeat(TASK_EXCERPT_CHARS - 1)}🙂 and more` })
    expect(summarize(fold('l2', [ev({ type: 'LoopCreated', data: { spec: emoji } }, 1000)])).task).toBe(`${'x'.repeat(TASK_EXCERPT_CHARS - 1)}…`)
  })

  it('says who paused a loop, why, and when an open circuit lets it resume', () => {
    version = 0
    const s = fold('l1', [
      ev({ type: 'LoopCreated', data: { spec: tagged } }, 1000),
      ev({ type: 'Started', data: {} }, 1000),
      ev({ type: 'Paused', data: { by: 'circuit-breaker', reason: 'anthropic https://api.anthropic.com key:ab12 circuit is open', resumeAt: 61_000 } }, 19_000)
    ])
    expect(summarize(s).pause).toEqual({ by: 'circuit-breaker', reason: 'anthropic https://api.anthropic.com key:ab12 circuit is open', resumeAt: 61_000 })
    const resumed = fold('l1', [ev({ type: 'Resumed', data: { by: 'circuit-breaker' } }, 61_000)], s)
    expect(summarize(resumed).pause).toBeNull()
  })

  it('reads a row stored before tags and times were kept, with none of them', () => {
    const old = { ...summarize(fold('l1', [ev({ type: 'LoopCreated', data: { spec: tagged } }, 1000)])) } as Record<string, unknown>
    for (const field of ['tags', 'task', 'startedAt', 'endedAt', 'pause']) delete old[field]
    const row = checkedSummary(old, 'l1')
    expect(row.damaged).toBeUndefined()
    expect(row).toMatchObject({ name: 'tagged', tags: [], task: '', startedAt: null, endedAt: null, pause: null })
  })
})

describe('spec tags', () => {
  it('refuses a tag with spaces or a tag given twice, naming the field', () => {
    const bad = LoopSpecSchema.safeParse({ ...tagged, tags: ['fine', 'not fine'] })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0].path).toEqual(['tags', 1])
    const twice = LoopSpecSchema.safeParse({ ...tagged, tags: ['a', 'a'] })
    expect(twice.error?.issues[0]).toMatchObject({ path: ['tags'], message: 'each tag once' })
  })
})

describe('iteration rows cut short', () => {
  it('say the iteration was cancelled, and when', () => {
    version = 0
    const rows: IterationRow[] = []
    for (const e of [
      ev({ type: 'IterationStarted', data: { iteration: 1 } }, 1000),
      ev({ type: 'Terminated', data: { reason: 'CANCELLED', detail: 'cancelled by operator', iteration: 1 } }, 4000)
    ]) foldIterationRow(rows, e)
    expect(rows[0].cutShort).toEqual({ how: 'cancelled', at: 4000, detail: 'CANCELLED: cancelled by operator' })
    expect(rows[0].finishedAt).toBe(4000)
  })

  it('say the iteration was interrupted when Andon stopped during it', () => {
    version = 0
    const rows: IterationRow[] = []
    for (const e of [
      ev({ type: 'IterationStarted', data: { iteration: 1 } }, 1000),
      ev({ type: 'Interrupted', data: { detail: 'the process stopped', lastAliveAt: 1500 } }, 9000)
    ]) foldIterationRow(rows, e)
    expect(rows[0]).toMatchObject({ interrupted: true, cutShort: { how: 'interrupted', at: 9000 }, finishedAt: null })
  })

  it('leave a finished iteration alone when the loop ends after it', () => {
    version = 0
    const rows: IterationRow[] = []
    for (const e of [
      ev({ type: 'IterationStarted', data: { iteration: 1 } }, 1000),
      ev({ type: 'InvariantChecked', data: { iteration: 1, results: [] } }, 2000),
      ev({ type: 'Terminated', data: { reason: 'SUCCESS', iteration: 1 } }, 2000)
    ]) foldIterationRow(rows, e)
    expect(rows[0]).toMatchObject({ cutShort: null, finishedAt: 2000 })
  })
})
