/**
 * Tool descriptions are derived once per tool object (a JSON Schema from zod is costly) and
 * shared by every loop, so they must be right for each tool and impossible to change in place.
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { builtinTools } from '../../src/main/core/tools'
import { describeTool, ToolRegistry, type AnyTool } from '../../src/main/core/tools/tool'

const tool = (name: string, input: z.ZodType): AnyTool => ({
  name,
  description: `the ${name} tool`,
  input,
  risk: 'low',
  idempotent: true,
  run: async () => ({ ok: true, exitCode: 0, summary: '', excerpt: '' })
})

describe('describeTool', () => {
  it('describes each tool object by its own input, even two tools of the same name', () => {
    const a = tool('record', z.object({ text: z.string() }).strict())
    const b = tool('record', z.object({ count: z.number().int() }).strict())
    expect(describeTool(a).inputSchema).toMatchObject({ properties: { text: { type: 'string' } }, required: ['text'] })
    expect(describeTool(b).inputSchema).toMatchObject({ properties: { count: { type: 'integer' } }, required: ['count'] })
  })

  it('gives the same description as a fresh derivation, and the same object the next time', () => {
    for (const t of builtinTools) {
      const d = describeTool(t)
      expect(d).toEqual({ name: t.name, description: t.description, risk: t.risk, inputSchema: t.inputSchema ?? z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }) })
      expect(describeTool(t)).toBe(d)
    }
  })

  it('cannot be changed in place by one loop for the others', () => {
    const d = describeTool(tool('edit', z.object({ path: z.string() })))
    const schema = d.inputSchema as { required: string[]; properties: Record<string, unknown> }
    expect(() => schema.required.push('_report')).toThrow(TypeError)
    expect(() => {
      schema.properties.extra = {}
    }).toThrow(TypeError)
    expect(() => {
      ;(d as { description: string }).description = 'changed'
    }).toThrow(TypeError)
    expect(describeTool(tool('edit', z.object({ path: z.string() }))).inputSchema).toMatchObject({ required: ['path'] })
  })

  it("a registry's descriptions list every registered tool in order", () => {
    const registry = new ToolRegistry([tool('one', z.object({})), tool('two', z.object({ n: z.number() }))])
    expect(registry.describe().map((d) => d.name)).toEqual(['one', 'two'])
    registry.register(tool('three', z.object({})))
    expect(registry.describe().map((d) => d.name)).toEqual(['one', 'two', 'three'])
  })
})
