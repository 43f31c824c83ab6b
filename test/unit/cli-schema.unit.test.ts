import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { loopSpecJsonSchema, loopSpecJsonSchemaText } from '../../src/cli/commands/schema'

const root = resolve(__dirname, '../..')

describe('loop spec JSON Schema', () => {
  it('the committed schema is up to date with LoopSpecSchema (run `npm run schema`)', () => {
    const committed = readFileSync(join(root, 'resources/schema/loop-spec.schema.json'), 'utf8')
    expect(committed).toBe(loopSpecJsonSchemaText())
  })

  it('describes spec files: required fields, policies, no unknown keys', () => {
    const s = loopSpecJsonSchema() as {
      required: string[]
      additionalProperties: boolean
      properties: Record<string, { oneOf?: { properties: { kind: { const: string } } }[] }>
    }
    expect(s.required).toEqual(['name', 'task', 'policy'])
    expect(s.additionalProperties).toBe(false)
    expect(s.properties.policy.oneOf?.map((p) => p.properties.kind.const)).toEqual(['rules', 'replay', 'anthropic', 'claude-code', 'process'])
  })

  it('knows every top-level key the example specs use', () => {
    const props = Object.keys((loopSpecJsonSchema() as { properties: object }).properties)
    const dir = join(root, 'resources/examples')
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
      for (const key of Object.keys(parse(readFileSync(join(dir, f), 'utf8')))) expect(props).toContain(key)
    }
  })
})
