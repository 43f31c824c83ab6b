import { describe, expect, it } from 'vitest'
import { stepDifference, valueDifferences, type ComparedStep } from '../../src/shared/compare'

const step = (tool: string | null, args: Record<string, unknown> = {}, ok: boolean | null = true): ComparedStep => ({
  action: tool ? { tool, args } : null,
  ok,
  summary: '',
  costUsd: 0,
  inputTokens: 0,
  outputTokens: 0
})

describe('stepDifference', () => {
  it('names the argument that differs, with both values', () => {
    expect(stepDifference(step('replace_in_file', { path: 'a.js', find: 'x' }), step('replace_in_file', { path: 'b.js', find: 'x' }))).toBe(
      'replace_in_file args.path: a.js vs b.js'
    )
  })

  it('names nested and list arguments, an argument only one side has, and values that are not text', () => {
    expect(stepDifference(step('run', { env: { MODE: 'fast' }, files: ['a', 'b'] }), step('run', { env: { MODE: 'slow' }, files: ['a', 'c'] }))).toBe(
      'run args.env.MODE: fast vs slow; args.files[1]: b vs c'
    )
    expect(stepDifference(step('run', { retries: 3 }), step('run', { retries: 3, dry: true }))).toBe('run args.dry: (none) vs true')
    expect(stepDifference(step('run', { n: 1 }), step('run', { n: '1' }))).toBe('run args.n: 1 vs "1"')
    expect(stepDifference(step('run', { 'odd key': 1 }), step('run', { 'odd key': 2 }))).toBe('run args["odd key"]: 1 vs 2')
  })

  it('names at most three arguments and counts the rest, and shortens long values', () => {
    const a = { a: 1, b: 1, c: 1, d: 1, e: 1 }
    const b = { a: 2, b: 2, c: 2, d: 2, e: 2 }
    expect(stepDifference(step('t', a), step('t', b))).toBe('t args.a: 1 vs 2; args.b: 1 vs 2; args.c: 1 vs 2; 2 more')
    const long = stepDifference(step('t', { text: 'x'.repeat(200) }), step('t', { text: 'y' }))!
    expect(long).toBe(`t args.text: ${'x'.repeat(59)}… vs y`)
  })

  it('says when the tools differ, when only the outcome differs, and when one side has no step', () => {
    expect(stepDifference(step('verify', {}, false), step('read_file', { path: 'a' }))).toBe('verify (failed) vs read_file (ok)')
    expect(stepDifference(step('verify', {}, true), step('verify', {}, false))).toBe('verify: ok vs failed')
    expect(stepDifference(step('verify', {}, false), null)).toBe('verify (failed) vs nothing')
  })

  it('finds nothing to say about equal steps, whatever the key order', () => {
    expect(stepDifference(step('t', { a: 1, b: [1, { c: 2 }] }), step('t', { b: [1, { c: 2 }], a: 1 }))).toBeNull()
    expect(valueDifferences({ a: undefined }, {}, 'args')).toEqual([])
  })
})
