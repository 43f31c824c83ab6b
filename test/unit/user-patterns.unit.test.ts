import { describe, expect, it } from 'vitest'
import { Redactor, type RedactionHit } from '../../src/main/core/bundles/redact'
import { ruleMatches } from '../../src/main/core/policies/rules'
import { validateSpecText } from '../../src/main/core/specs/load-spec'
import { RuleSchema } from '../../src/shared/spec'
import { initialState } from '../../src/shared/state'

// A pattern that takes a backtracking engine exponential time on this input (minutes at 40 characters).
const CATASTROPHIC = '^(a+)+$'
const HOSTILE_INPUT = `${'a'.repeat(40)}!`

function elapsedMs(f: () => unknown): number {
  const t0 = performance.now()
  f()
  return performance.now() - t0
}

describe('user regular expressions', () => {
  it('a catastrophic rule condition is answered at once, against output, facts and rejection reasons', () => {
    const rule = RuleSchema.parse({ name: 'r', when: { outputMatches: CATASTROPHIC, factMatches: CATASTROPHIC }, then: { tool: 'verify' } })
    const state = {
      ...initialState('l'),
      lastObservation: { tool: 'verify', ok: false, exitCode: 1, summary: '', excerpt: HOSTILE_INPUT },
      facts: [HOSTILE_INPUT]
    }
    let matched = true
    // Generous: a linear engine takes well under a millisecond; a backtracking one does not finish.
    expect(elapsedMs(() => (matched = ruleMatches(rule, state)))).toBeLessThan(1000)
    expect(matched).toBe(false)
    expect(ruleMatches(rule, { ...state, lastObservation: { ...state.lastObservation, excerpt: 'aaaa' }, facts: ['AAA'] })).toBe(true)
  })

  it('a catastrophic redaction pattern is applied at once and still redacts what it matches', () => {
    const r = new Redactor({ patterns: ['(x+x+)+y', 'token=\\w+'] })
    const hits: RedactionHit[] = []
    let out = ''
    expect(elapsedMs(() => (out = r.redactString(`${'x'.repeat(5000)} token=abc123 xxy`, 'data', hits)))).toBeLessThan(1000)
    expect(out).toBe(`${'x'.repeat(5000)} [REDACTED:pattern:1] [REDACTED:pattern:0]`)
    expect(hits.map((h) => h.rule)).toEqual(['pattern:0', 'pattern:1'])
  })

  it('a pattern RE2 cannot run is a spec error naming the field, not a launch failure later', () => {
    const spec = (when: string) => `name: p\ntask: t\npolicy:\n  kind: rules\n  rules:\n    - name: a\n      when: { start: true }\n      then: { tool: verify }\n    - name: b\n      when: ${when}\n      then: { tool: verify }\n`
    const lookahead = validateSpecText(spec(`{ outputMatches: 'a(?=b)' }`))
    expect(lookahead.ok).toBe(false)
    if (!lookahead.ok) {
      expect(lookahead.errors[0].path).toBe('policy.rules.1.when.outputMatches')
      expect(lookahead.errors[0].message).toMatch(/RE2/)
    }
    const backref = validateSpecText(spec(`{ factMatches: '(a)\\1' }`))
    expect(!backref.ok && backref.errors[0].path).toBe('policy.rules.1.when.factMatches')
    expect(validateSpecText(spec(`{ rejectionMatches: 'not (now|yet)' }`)).ok).toBe(true)
  })

  it('a bad redaction pattern is refused with its index', () => {
    expect(() => new Redactor({ patterns: ['ok', '(unclosed'] })).toThrow(/redaction pattern 1/)
  })
})
