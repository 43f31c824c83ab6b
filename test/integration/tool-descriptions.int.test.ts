/**
 * What an Anthropic loop tells the model about its tools, through the real core (store, driver,
 * supervisor) and the real SDK over HTTP to the scripted server. Descriptions are cached per tool
 * object, so each loop must still send exactly its own spec's selection and its own command
 * tools' schemas, every iteration, even when two specs declare a command tool of the same name.
 */
import { describe, expect, it } from 'vitest'
import { LoopSpecSchema, type CommandToolConfig, type LoopSpecInput } from '../../src/shared/spec'
import { toolUse } from '../support/scripted-server'
import { useScriptedAnthropicCore } from '../support/scripted-anthropic-core'
import { exampleSpec } from '../support/specs'

const KEY = 'sk-ant-tools-5ecret-0123456789abcdef'
const core = useScriptedAnthropicCore(KEY, { retry: { maxAttempts: 1, baseDelayMs: 5 } })

interface SentTool {
  name: string
  description: string
  input_schema: { properties: Record<string, { type?: string }>; required: string[] }
}

const record = (description: string, field: string, type: string): CommandToolConfig => ({
  name: 'record',
  description,
  command: 'true',
  input: { type: 'object', properties: { [field]: { type } }, required: [field], additionalProperties: false },
  risk: 'low'
})

/** Run a two-iteration Anthropic loop (two read_file calls) with `tools`; the tools each request sent. */
async function sentTools(tools: LoopSpecInput['tools']): Promise<SentTool[][]> {
  const { spec: base, specPath } = exampleSpec('fix-the-tests')
  const spec = LoopSpecSchema.parse({
    ...base,
    policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: core.server.anthropicBaseUrl, timeoutMs: 5_000 },
    autonomy: 'autonomous',
    tools,
    invariants: { maxIterations: 2, sameActionLimit: 10, progressEvery: 10 }
  })
  core.server.requests.length = 0
  core.server.anthropic.enqueue(toolUse('read_file', { path: 'math.js' }))
  core.server.anthropic.enqueue(toolUse('read_file', { path: 'math.js' }))
  const loopId = await core.andon.supervisor.launch(spec, { specPath })
  await core.andon.supervisor.settled(loopId)
  expect(core.andon.store.loadState(loopId).termination?.reason).toBe('MAX_ITERATIONS')
  return core.server.requests.filter((r) => r.path.endsWith('/v1/messages')).map((r) => (r.body as { tools: SentTool[] }).tools)
}

describe('the tools an Anthropic loop describes to the model', () => {
  it("are its own spec's selection and command tools, the same at every iteration, for two specs in one core", async () => {
    const first = await sentTools([{ name: 'verify' }, { name: 'read_file' }, record('Record a note.', 'text', 'string')])
    const second = await sentTools([{ name: 'verify' }, { name: 'read_file' }, { name: 'write_file' }, record('Count something.', 'count', 'integer')])

    expect(first).toHaveLength(2)
    expect(first.map((tools) => tools.map((t) => t.name))).toEqual([
      ['verify', 'read_file', 'record'],
      ['verify', 'read_file', 'record']
    ])
    // The second iteration describes the tools exactly as the first did.
    expect(first[1]).toEqual(first[0])
    const firstRecord = first[0].find((t) => t.name === 'record')!
    expect(firstRecord.description).toBe('Record a note. (risk: low)')
    expect(Object.keys(firstRecord.input_schema.properties)).toEqual(['text', '_report'])
    expect(firstRecord.input_schema.required).toEqual(['text', '_report'])

    // Another spec in the same core: its selection (write_file too) and its own "record", not the first one's.
    expect(second.map((tools) => tools.map((t) => t.name))).toEqual([
      ['verify', 'read_file', 'write_file', 'record'],
      ['verify', 'read_file', 'write_file', 'record']
    ])
    const secondRecord = second[0].find((t) => t.name === 'record')!
    expect(secondRecord.description).toBe('Count something. (risk: low)')
    expect(secondRecord.input_schema.properties.count).toEqual({ type: 'integer' })
    expect(secondRecord.input_schema.required).toEqual(['count', '_report'])

    // A built-in's schema (derived from its zod input once) is whole in both loops, the report field added per request.
    for (const tools of [...first, ...second]) {
      const read = tools.find((t) => t.name === 'read_file')!
      expect(read.input_schema.required).toEqual(['path', '_report'])
      expect(read.input_schema.properties.path).toMatchObject({ type: 'string' })
    }
  })
})
