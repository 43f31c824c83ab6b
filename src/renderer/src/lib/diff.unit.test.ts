import { describe, expect, it } from 'vitest'
import { diffJson } from './diff'

describe('state diff rows', () => {
  it('adding the first fact shows the fact, not a "facts − []" row', () => {
    expect(diffJson({ facts: [], subgoal: 'x' }, { facts: ['region is eu-west-1'], subgoal: 'x' })).toEqual([{ path: 'facts[0]', after: '"region is eu-west-1"' }])
  })

  it('removing the last entry shows the entry removed, not a "+ {}" row', () => {
    expect(diffJson({ memory: { k: 1 } }, { memory: {} })).toEqual([{ path: 'memory.k', before: '1' }])
  })

  it('an empty list replacing a value is still shown', () => {
    expect(diffJson({ facts: 'a' }, { facts: [] })).toEqual([{ path: 'facts', before: '"a"', after: '[]' }])
  })
})
