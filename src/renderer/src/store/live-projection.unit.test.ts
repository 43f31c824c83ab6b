/**
 * The renderer's live projection: pushed events fold into the selected loop's state and rows with
 * the core's own functions, a version gap asks for a reload, and the patch diff names each change.
 */
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../../shared/events'
import type { LoopSpec } from '../../../shared/spec'
import { initialState } from '../../../shared/state'
import { useStore } from './index'
import { diffJson } from '../lib/diff'

const spec = { name: 'demo', policy: { kind: 'rules' }, invariants: {} } as unknown as LoopSpec
let version = 1
const ev = (e: Pick<StoredEvent, 'type' | 'data'>): StoredEvent => ({ ...e, loopId: 'l1', version: ++version, seq: version, at: 1000 + version }) as StoredEvent

function freshDetail() {
  version = 1
  useStore.getState().setDetail({ loopId: 'l1', state: { ...initialState('l1'), spec, version: 1, status: 'running' }, rows: [], span: { first: 0, last: 0 } }, [])
}

describe('renderer store', () => {
  it('folds pushed events into state, iteration rows and live tool output', () => {
    freshDetail()
    const ok = useStore.getState().applyEvents([
      ev({ type: 'IterationStarted', data: { iteration: 1 } }),
      ev({ type: 'ToolOutput', data: { callId: 'c1', stream: 'stdout', chunk: '\x1b[31mFAIL\x1b[0m add\n' } }),
      ev({ type: 'Observed', data: { iteration: 1, observation: { tool: 'verify', ok: false, exitCode: 1, summary: 'exit 1', excerpt: '' }, progress: true } }),
      ev({ type: 'InvariantChecked', data: { iteration: 1, results: [{ name: 'no-looping', ok: false, detail: '', remediation: '' }] } })
    ])
    expect(ok).toBe(true)
    const d = useStore.getState().detail!
    expect(d.state.iteration).toBe(1)
    expect(d.state.version).toBe(5)
    expect(d.rows.span).toEqual({ first: 1, last: 1 })
    expect(d.rows.rows.get(1)!.result).toEqual({ ok: false, summary: 'exit 1', exitCode: 1 })
    expect(d.rows.rows.get(1)!.invariants).toEqual({ checked: 1, failing: ['no-looping'] })
    expect(d.live.chunks.map((c) => c.chunk)).toEqual(['\x1b[31mFAIL\x1b[0m add\n'])
    expect(d.rowsRev).toBeGreaterThan(0)
  })

  it("keeps the live iteration's events as pushed, so its detail needs no fetch while it runs", () => {
    freshDetail()
    const started = ev({ type: 'IterationStarted', data: { iteration: 1 } })
    const output = ev({ type: 'ToolOutput', data: { callId: 'c1', stream: 'stdout', chunk: 'hi\n' } })
    const observed = ev({ type: 'Observed', data: { iteration: 1, observation: { tool: 'verify', ok: true, exitCode: 0, summary: 'ok', excerpt: '' }, progress: true } })
    useStore.getState().applyEvents([started, output, observed])
    const live = useStore.getState().detail!.live
    expect(live).toMatchObject({ iteration: 1, complete: true })
    // Tool output goes to the terminal's chunks, the rest to the detail's events, in order.
    expect(live.events.map((e) => e.version)).toEqual([started.version, observed.version])
    expect(live.chunks.map((c) => c.version)).toEqual([output.version])
    useStore.getState().applyEvents([ev({ type: 'IterationStarted', data: { iteration: 2 } })])
    expect(useStore.getState().detail!.live).toMatchObject({ iteration: 2, complete: true, chunks: [] })
    expect(useStore.getState().detail!.live.events.map((e) => e.type)).toEqual(['IterationStarted'])
  })

  it('does not call an iteration complete when the loop was opened after it started', () => {
    freshDetail()
    // setDetail's state is mid-iteration: its start came before the page loaded, so its events must be fetched.
    useStore.getState().applyEvents([ev({ type: 'Paused', data: { by: 'op', reason: '' } })])
    expect(useStore.getState().detail!.live.complete).toBe(false)
    expect(useStore.getState().detail!.live.events).toEqual([])
  })

  it('ignores events it already has and reports a gap so the view reloads', () => {
    freshDetail()
    const first = ev({ type: 'IterationStarted', data: { iteration: 1 } })
    expect(useStore.getState().applyEvents([first])).toBe(true)
    expect(useStore.getState().applyEvents([first])).toBe(true)
    expect(useStore.getState().detail!.rows.rows.size).toBe(1)
    version++ // one event lost in transit
    expect(useStore.getState().applyEvents([ev({ type: 'Paused', data: { by: 'op', reason: '' } })])).toBe(false)
    expect(useStore.getState().detail!.state.status).toBe('running')
  })

  it('keeps the loops list newest first as summaries arrive', () => {
    const s = (loopId: string, createdAt: number) => ({ loopId, name: loopId, createdAt }) as never
    useStore.getState().setLoops([s('a', 1), s('b', 2)])
    useStore.getState().upsertSummaries([s('c', 3), s('a', 1)])
    expect(useStore.getState().order).toEqual(['c', 'b', 'a'])
  })

  it('keeps the newer summary when an older one arrives after the list was fetched again', () => {
    const s = (version: number, iteration: number) => ({ loopId: 'a', name: 'a', createdAt: 1, version, iteration, status: 'running' }) as never
    useStore.getState().setLoops([s(10, 3)])
    useStore.getState().upsertSummaries([s(8, 2)])
    expect(useStore.getState().loops.a.iteration).toBe(3)
    useStore.getState().upsertSummaries([s(12, 4)])
    expect(useStore.getState().loops.a.iteration).toBe(4)
  })

  it('diffs editable state by path', () => {
    expect(diffJson({ facts: [], subgoal: 'x', memory: { k: 1 } }, { facts: ['region is eu-west-1'], subgoal: 'x', memory: {} })).toEqual([
      { path: 'memory.k', before: '1' },
      { path: 'facts[0]', after: '"region is eu-west-1"' }
    ])
  })
})
