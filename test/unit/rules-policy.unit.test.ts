import { describe, expect, it } from 'vitest'
import { createRulesPolicy, ruleMatches } from '../../src/main/core/policies/rules'
import { PolicyError } from '../../src/main/core/policies/policy'
import { initialState } from '../../src/shared/state'
import { RulesPolicySpec } from '../../src/shared/spec'

const obs = (tool: string, ok: boolean, excerpt: string) => ({ tool, ok, exitCode: ok ? 0 : 1, summary: '', excerpt })

describe('rules policy', () => {
  const p = RulesPolicySpec.parse({
    kind: 'rules',
    rules: [
      { name: 'start', when: { start: true }, then: { tool: 'verify' } },
      { name: 'hinted', when: { lastFailed: true, factMatches: 'use v2' }, then: { tool: 'write_file', args: { path: 'v', content: '2' } } },
      { name: 'fix', when: { lastTool: 'verify', outputMatches: 'FAIL add' }, then: { tool: 'replace_in_file', args: { path: 'm.js', find: '-', replace: '+' } } }
    ]
  })
  const base = initialState('l')

  it('picks the first matching rule, deterministically', async () => {
    const policy = createRulesPolicy(p)
    const signal = new AbortController().signal
    const d1 = await policy.decide({ loopId: 'l', iteration: 1, spec: undefined as never, state: base, tools: [], signal })
    expect(d1).toMatchObject({ action: { tool: 'verify' }, subgoal: 'start', usage: { inputTokens: 0 } })
    const failed = { ...base, lastObservation: obs('verify', false, 'x\nFAIL add\n') }
    const d2 = await policy.decide({ loopId: 'l', iteration: 2, spec: undefined as never, state: failed, tools: [], signal })
    expect(d2.action.tool).toBe('replace_in_file')
    const hinted = { ...failed, facts: ['Please USE V2 now'] }
    expect((await policy.decide({ loopId: 'l', iteration: 2, spec: undefined as never, state: hinted, tools: [], signal })).action.tool).toBe('write_file')
  })

  it('says so when no rule matches, and refuses a bad regular expression up front', async () => {
    const policy = createRulesPolicy(p)
    const state = { ...base, lastObservation: obs('verify', true, 'ok') }
    await expect(policy.decide({ loopId: 'l', iteration: 1, spec: undefined as never, state, tools: [], signal: new AbortController().signal })).rejects.toMatchObject({ kind: 'no-action' })
    expect(() => createRulesPolicy(RulesPolicySpec.parse({ kind: 'rules', rules: [{ name: 'bad', when: { outputMatches: '(' }, then: { tool: 'verify' } }] }))).toThrow(PolicyError)
  })

  it('matches conditions exactly', () => {
    const r = p.rules[2]
    expect(ruleMatches(r, { ...base, lastObservation: obs('run_command', false, 'FAIL add') })).toBe(false)
    expect(ruleMatches(r, base)).toBe(false)
  })
})
