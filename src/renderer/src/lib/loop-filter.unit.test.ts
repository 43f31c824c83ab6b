import { describe, expect, it } from 'vitest'
import type { LoopSummary } from '../../../shared/contract'
import { createFacets, createListing, DEFAULT_QUERY, listedIds, listFacets, needsAttention, type ListQuery } from './loop-filter'

function loop(loopId: string, over: Partial<LoopSummary> = {}): LoopSummary {
  return {
    loopId,
    name: loopId,
    status: 'running',
    iteration: 1,
    policy: 'rules',
    autonomy: 'autonomous',
    terminationReason: null,
    terminationDetail: null,
    parentLoopId: null,
    readOnly: false,
    waiting: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    activeMs: 0,
    runningSince: null,
    version: 1,
    createdAt: 0,
    updatedAt: 0,
    startedAt: null,
    endedAt: null,
    task: '',
    tags: [],
    pause: null,
    ...over
  }
}

const loops = Object.fromEntries(
  [
    loop('a1', { name: 'fix-the-tests', task: 'Make node verify.js pass', createdAt: 10, updatedAt: 90, costUsd: 0.2, tags: ['team:web'] }),
    loop('b2', { name: 'nightly reconcile', task: 'Keep the main branch green', policy: 'anthropic', createdAt: 20, updatedAt: 30, costUsd: 1.5, tags: ['nightly', 'team:web'] }),
    loop('c3', { name: 'stuck', status: 'escalated', waiting: 1, createdAt: 30, updatedAt: 40, costUsd: 0.05 }),
    loop('d4', { name: 'done well', status: 'terminated', terminationReason: 'SUCCESS', createdAt: 40, updatedAt: 50 }),
    loop('e5', { name: 'given up', status: 'terminated', terminationReason: 'CANCELLED', createdAt: 50, updatedAt: 60 }),
    loop('f6', { name: 'rate limited', status: 'paused', policy: 'anthropic', pause: { by: 'circuit-breaker', reason: 'circuit open', resumeAt: 99 }, createdAt: 60, updatedAt: 70 }),
    loop('g7', { name: 'on hold', status: 'paused', pause: { by: 'operator', reason: 'lunch', resumeAt: null }, createdAt: 70, updatedAt: 80 })
  ].map((s) => [s.loopId, s])
)
const list = (q: Partial<ListQuery>) => listedIds(loops, { ...DEFAULT_QUERY, ...q })

describe('the loops list query', () => {
  it('lists every loop newest first by default', () => {
    expect(list({})).toEqual(['g7', 'f6', 'e5', 'd4', 'c3', 'b2', 'a1'])
  })

  it('finds loops by name, id or task, every word, in any case', () => {
    expect(list({ search: 'STUCK' })).toEqual(['c3'])
    expect(list({ search: 'b2' })).toEqual(['b2'])
    expect(list({ search: 'verify.js' })).toEqual(['a1'])
    expect(list({ search: 'main green' })).toEqual(['b2'])
    expect(list({ search: 'main nothing' })).toEqual([])
  })

  it('filters by status, and finished loops by how they ended', () => {
    expect(list({ status: 'escalated' })).toEqual(['c3'])
    expect(list({ status: 'paused' })).toEqual(['g7', 'f6'])
    expect(list({ status: 'finished' })).toEqual(['e5', 'd4'])
    expect(list({ status: 'finished:SUCCESS' })).toEqual(['d4'])
    expect(list({ status: 'running' })).toEqual(['b2', 'a1'])
  })

  it('counts a loop held by an open circuit as needing attention, not one the operator paused', () => {
    expect(list({ status: 'attention' })).toEqual(['f6', 'c3'])
    expect(needsAttention(loops.g7)).toBe(false)
  })

  it('filters by policy and by tag, together with the search', () => {
    expect(list({ policy: 'anthropic' })).toEqual(['f6', 'b2'])
    expect(list({ tag: 'team:web' })).toEqual(['b2', 'a1'])
    expect(list({ tag: 'team:web', search: 'fix' })).toEqual(['a1'])
  })

  it('sorts by cost or by the last change', () => {
    expect(list({ sort: 'cost' }).slice(0, 3)).toEqual(['b2', 'a1', 'c3'])
    expect(list({ sort: 'updated' })[0]).toBe('a1')
  })

  it('reads rows without tags (from an older store) as untagged', () => {
    const old = { ...loop('h8'), tags: undefined } as unknown as LoopSummary
    expect(listedIds({ h8: old }, { ...DEFAULT_QUERY, tag: 'x' })).toEqual([])
    expect(listedIds({ h8: old }, DEFAULT_QUERY)).toEqual(['h8'])
  })

  it('offers the policies and tags the loops have', () => {
    expect(listFacets(loops)).toEqual({ policies: ['anthropic', 'rules'], tags: ['nightly', 'team:web'] })
  })

  it('finds one loop among 10,000', () => {
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`l${i}`, loop(`l${i}`, { name: `loop number ${i}`, createdAt: i })]))
    expect(listedIds(many, { ...DEFAULT_QUERY, search: 'number 9999' })).toEqual(['l9999'])
  })
})

describe('the loops list while events stream', () => {
  const change = (id: string, over: Partial<LoopSummary>) => ({ ...loops, [id]: { ...loops[id], ...over } })

  it('keeps its listing while only what it neither filters nor sorts on changes', () => {
    const listing = createListing()
    const q = { ...DEFAULT_QUERY, status: 'running' as const }
    const first = listing(loops, q)
    expect(first).toEqual(['b2', 'a1'])
    // A running loop's next iteration: more tokens and a later change, same place in the list.
    expect(listing(change('a1', { iteration: 2, inputTokens: 900, updatedAt: 95 }), q)).toBe(first)
  })

  it('lists again when a change moves a loop in or out, reorders it, or a loop comes', () => {
    const listing = createListing()
    const running = { ...DEFAULT_QUERY, status: 'running' as const }
    listing(loops, running)
    expect(listing(change('a1', { status: 'terminated', terminationReason: 'SUCCESS' }), running)).toEqual(['b2'])
    const byCost = { ...DEFAULT_QUERY, sort: 'cost' as const }
    expect(listing(loops, byCost).slice(0, 2)).toEqual(['b2', 'a1'])
    expect(listing(change('a1', { costUsd: 2 }), byCost).slice(0, 2)).toEqual(['a1', 'b2'])
    const more = { ...loops, h8: loop('h8', { createdAt: 80 }) }
    expect(listing(more, DEFAULT_QUERY)[0]).toBe('h8')
    expect(listing(more, { ...DEFAULT_QUERY, search: 'stuck' })).toEqual(['c3'])
  })

  it('keeps the filters offered until a loop brings a new policy or tag', () => {
    const facetsOf = createFacets()
    const first = facetsOf(loops)
    expect(facetsOf(change('b2', { iteration: 7, costUsd: 3 }))).toBe(first)
    expect(facetsOf(change('b2', { tags: ['nightly', 'team:data'] })).tags).toEqual(['nightly', 'team:data', 'team:web'])
  })
})
