/**
 * Tool inputs described by JSON Schema (command tools, MCP servers): the same schema compiles
 * at every launch, and its patterns run on RE2, so a hostile one cannot stall the process.
 */
import { describe, expect, it } from 'vitest'
import { inputSchemaProblem, jsonSchemaInput } from '../../src/main/core/tools/json-schema-input'

describe('JSON Schema tool input', () => {
  it('compiles a schema with an $id again and again (every launch and fork compiles it)', () => {
    const schema = { $id: 'https://example.com/ticket', type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }
    for (let i = 0; i < 3; i++) expect(jsonSchemaInput(schema).safeParse({ id: 'T-1' }).success).toBe(true)
  })

  it('matches `pattern` with RE2: a pattern that backtracks exponentially in JavaScript answers at once', () => {
    const input = jsonSchemaInput({ type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } })
    expect(input.safeParse({ name: 'aaaa' }).success).toBe(true)
    // In a backtracking engine this input takes about 2^40 steps.
    const bad = input.safeParse({ name: `${'a'.repeat(40)}!` })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues[0]).toMatchObject({ path: ['name'], message: 'must match pattern "^(a+)+$"' })
  })

  it('says why a pattern RE2 cannot run is not usable', () => {
    expect(inputSchemaProblem({ type: 'object', properties: { a: { type: 'string', pattern: '(?=x)' } } })).toMatch(/no backreferences or lookahead/)
    expect(inputSchemaProblem({ type: 'array' })).toBe('a tool input schema describes an object (type: object)')
  })
})
