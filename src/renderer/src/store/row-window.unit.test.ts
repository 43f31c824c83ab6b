/**
 * The timeline's window of iteration rows: which pages a viewport needs, what is dropped when the
 * window is full, and live events folding into the newest rows of a loop far bigger than the window.
 */
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../../shared/events'
import { ITERATION_PAGE, type IterationRow } from '../../../shared/iterations'
import type { LoopSpec } from '../../../shared/spec'
import { initialState } from '../../../shared/state'
import { useStore } from './index'
import { addPage, evict, MAX_PAGES, newWindow, pageIterations, pageOf, pagesFor, touch } from './row-window'

const row = (iteration: number, firstVersion = iteration * 10): IterationRow =>
  ({ iteration, firstVersion, lastVersion: firstVersion + 9, startedAt: 0, finishedAt: 1, action: null, subgoal: `s${iteration}`, result: null, invariants: null, inputTokens: 0, outputTokens: 0, costUsd: 0 }) as unknown as IterationRow
const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => row(from + i))

describe('which pages a viewport needs', () => {
  const span = { first: 1, last: 10_000 }
  it('counts pages from the loop first iteration, so a fork starting at 41 pages from 41', () => {
    expect(pageIterations({ first: 41, last: 500 }, 0)).toEqual([41, 40 + ITERATION_PAGE])
    expect(pageOf({ first: 41, last: 500 }, 41 + ITERATION_PAGE)).toBe(1)
  })
  it('asks for the pages under the slots drawn, one page or two when the view straddles a boundary', () => {
    expect(pagesFor(span, 0, 30)).toEqual([0])
    expect(pagesFor(span, ITERATION_PAGE - 10, ITERATION_PAGE + 20)).toEqual([0, 1])
  })
  it('never asks past the newest iteration or before the first', () => {
    const lastPage = pageOf(span, span.last)
    expect(pagesFor(span, 9_990, 12_000)).toEqual([lastPage])
    expect(pagesFor(span, -5, 3)).toEqual([0])
    expect(pagesFor({ first: 0, last: 0 }, 0, 30)).toEqual([])
  })
})

describe('the window', () => {
  it('starts with the newest rows and holds only the pages they cover whole', () => {
    const span = { first: 1, last: 1_050 }
    const w = newWindow(span, rows(851, 1_050))
    // Page 5 is 1001–1200 (held: every row up to the newest), page 4 is 801–1000 (851 on only).
    expect([...w.pages.keys()]).toEqual([5])
    expect(w.rows.size).toBe(200)
    expect(pagesFor(span, 850 - 1, 900)).toEqual([4])
  })

  it('drops the least recently needed pages past the cap, never the newest nor those in view', () => {
    const span = { first: 1, last: 100_000 }
    const w = newWindow(span, rows(99_801, 100_000))
    const newest = pageOf(span, span.last)
    for (let p = 0; p < MAX_PAGES + 5; p++) {
      touch(w, [p])
      addPage(w, p, rows(...pageIterations(span, p)))
      evict(w, [p])
    }
    expect(w.pages.size).toBe(MAX_PAGES)
    expect(w.pages.has(newest)).toBe(true)
    // The oldest fetched pages went first, their rows with them.
    expect(w.pages.has(0)).toBe(false)
    expect(w.rows.has(1)).toBe(false)
    expect(w.pages.has(MAX_PAGES + 4)).toBe(true)
    expect(w.rows.size).toBe(MAX_PAGES * ITERATION_PAGE)
    // A page needed again moves to the back of the queue.
    touch(w, [6])
    addPage(w, 100, rows(...pageIterations(span, 100)))
    evict(w, [100])
    expect(w.pages.has(6)).toBe(true)
    expect(w.pages.has(7)).toBe(false)
  })

  it('keeps the live row as the pushes made it and leaves rows past it to the pushes', () => {
    const span = { first: 1, last: 300 }
    const w = newWindow(span, rows(101, 300))
    const live = w.rows.get(300)!
    addPage(w, 1, [...rows(201, 300).map((r) => ({ ...r, subgoal: 'stale' })), row(301)])
    expect(w.rows.get(300)).toBe(live)
    expect(w.rows.get(250)!.subgoal).toBe('stale')
    expect(w.rows.has(301)).toBe(false)
  })
})

describe('live events fold into the newest rows of a big loop', () => {
  const spec = { name: 'big', policy: { kind: 'rules' }, invariants: {} } as unknown as LoopSpec
  it('a new iteration grows the span by one and its row is held; a row far back stays unfetched', () => {
    const last = 50_000
    const newest = rows(last - ITERATION_PAGE + 1, last)
    const version = newest.at(-1)!.lastVersion
    const state = { ...initialState('big'), spec, version, iteration: last, status: 'running' as const }
    useStore.getState().setDetail({ loopId: 'big', state, rows: newest, span: { first: 1, last } }, [])
    const ev = (v: number, e: Pick<StoredEvent, 'type' | 'data'>) => ({ ...e, loopId: 'big', version: v, seq: v, at: 5 }) as StoredEvent
    expect(
      useStore.getState().applyEvents([
        ev(version + 1, { type: 'IterationStarted', data: { iteration: last + 1 } }),
        ev(version + 2, { type: 'Observed', data: { iteration: last + 1, observation: { tool: 'verify', ok: true, exitCode: 0, summary: 'green', excerpt: '' }, progress: true } })
      ])
    ).toBe(true)
    const w = useStore.getState().detail!.rows
    expect(w.span).toEqual({ first: 1, last: last + 1 })
    expect(w.rows.get(last + 1)!.result).toEqual({ ok: true, summary: 'green', exitCode: 0 })
    expect(w.rows.get(last)!.result).toBeNull()
    expect(w.rows.has(1)).toBe(false)
    expect(w.rows.size).toBe(ITERATION_PAGE + 1)
  })
})
