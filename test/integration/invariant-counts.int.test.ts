/**
 * An eval's result counts the iterations that checked invariants and those with one failing, in SQL
 * over the iteration rows; checked against the count over the parsed rows it replaced.
 */
import { describe, expect, it } from 'vitest'
import type { LoopEventInput } from '../../src/shared/events'
import { LoopSpecSchema } from '../../src/shared/spec'
import { invariantCounts } from '../../src/main/core/store/invariant-counts'
import { clockedStores } from '../support/clocked-store'

const spec = LoopSpecSchema.parse({ name: 'inv', task: 't', policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] } })
const stores = clockedStores(Date.UTC(2030, 0, 1))

const started = (iteration: number): LoopEventInput => ({ type: 'IterationStarted', data: { iteration } })
const checked = (iteration: number, ...failing: string[]): LoopEventInput => ({
  type: 'InvariantChecked',
  data: { iteration, results: [{ name: 'progress', ok: true, detail: '' }, ...failing.map((name) => ({ name, ok: false, detail: 'broken' }))] }
})

describe('invariant counts of a loop', () => {
  it('count the iterations that checked invariants and those where one failed, as the parsed rows do', () => {
    const s = stores.open()
    const at = Date.UTC(2030, 0, 1)
    stores.record(s, 'loop', at, { type: 'LoopCreated', data: { spec } }, { type: 'Started', data: {} })
    stores.record(s, 'loop', at, started(1), checked(1))
    stores.record(s, 'loop', at, started(2), checked(2, 'budget', 'tests-pass'))
    stores.record(s, 'loop', at, started(3)) // not checked: cut short
    stores.record(s, 'loop', at, started(4), checked(4, 'tests-pass'))
    stores.record(s, 'other', at, { type: 'LoopCreated', data: { spec } }, started(1), checked(1, 'budget'))

    const rows = s.iterationRows('loop')
    expect(rows).toHaveLength(4)
    const oracle = {
      checked: rows.filter((r) => r.invariants).length,
      violated: rows.filter((r) => (r.invariants?.failing.length ?? 0) > 0).length
    }
    expect(invariantCounts(s, 'loop')).toEqual(oracle)
    expect(oracle).toEqual({ checked: 3, violated: 2 })
    expect(invariantCounts(s, 'no-such-loop')).toEqual({ checked: 0, violated: 0 })
  })
})
