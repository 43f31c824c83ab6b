import { describe, expect, it } from 'vitest'
import { costOf, priceFor } from '../../src/main/core/policies/anthropic/prices'
import { toolParam } from '../../src/main/core/policies/anthropic/prompt'

describe('anthropic price table', () => {
  it('matches a model by name, dated snapshot or -latest, and nothing looser', () => {
    expect(priceFor('claude-sonnet-4-5')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 })
    expect(priceFor('claude-sonnet-4-5-20250929')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 })
    expect(priceFor('claude-3-5-haiku-latest')).toEqual({ inputPerMTok: 0.8, outputPerMTok: 4 })
    expect(priceFor('claude-opus-4-5')?.inputPerMTok).toBe(5)
    expect(priceFor('claude-opus-4-20250514')?.inputPerMTok).toBe(15)
    // A future model is not priced as its older sibling.
    expect(priceFor('claude-opus-4-9')).toBeNull()
  })

  it('prices input, output and cache tokens', () => {
    const c = costOf('claude-haiku-4-5', { input_tokens: 1_000_000, output_tokens: 100_000, cache_creation_input_tokens: 100_000, cache_read_input_tokens: 1_000_000 })
    // 1.00 input + 0.50 output + 0.125 cache write + 0.10 cache read
    expect(c.costUsd).toBeCloseTo(1.725, 10)
    expect(c.note).toBeNull()
  })

  it('an unknown model is counted at the highest listed price, with a note, never at $0', () => {
    const { costUsd, note } = costOf('my-proxy-model', { input_tokens: 1_000_000, output_tokens: 1_000_000 })
    expect(costUsd).toBe(15 + 75)
    expect(note).toBe('no price known for model "my-proxy-model"; counted at the highest listed price ($15/$75 per million tokens) so budgets still hold')
  })

  it("the spec's own pricing wins for a model the table does not list", () => {
    expect(costOf('my-proxy-model', { input_tokens: 1_000_000, output_tokens: 0 }, { inputPerMTok: 0.5, outputPerMTok: 1 })).toEqual({ costUsd: 0.5, note: null })
  })
})

describe('anthropic tool definitions', () => {
  it('add the required _report field and mention the risk', () => {
    const t = toolParam({
      name: 'github_open_pr',
      description: 'Open a pull request',
      risk: 'high',
      inputSchema: { $schema: 'x', type: 'object', properties: { title: { type: 'string' } }, required: ['title'], additionalProperties: false }
    })
    expect(t.description).toBe('Open a pull request (risk: high)')
    expect(t.input_schema.required).toEqual(['title', '_report'])
    expect(Object.keys(t.input_schema.properties as object)).toEqual(['title', '_report'])
    expect(t.input_schema).not.toHaveProperty('$schema')
  })
})
