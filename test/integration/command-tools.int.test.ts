/**
 * Command tools declared in a spec: a real program run in the sandbox with the call's input as
 * JSON on stdin and in templated arguments. Hostile input (quotes, `$()`, backquotes, newlines)
 * reaches the program as plain text and runs nothing; bad input never runs; the sandbox holds.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { validateSpecText } from '../../src/main/core/specs/load-spec'
import { commandTool, fillArgs } from '../../src/main/core/tools/command-tool'
import { LoopSpecSchema, type CommandToolConfig, type LoopSpecInput } from '../../src/shared/spec'
import { exampleSpec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'
import { tempDirsPerTest } from '../support/temp-per-test'
import { toolContext } from '../support/tool-context'

const HOSTILE = `it's "quoted" $(touch pwned1) \`touch pwned2\`; touch pwned3\nsecond line && touch pwned4 | $HOME`

/** Writes what it got (its arguments and stdin) to got.json in the workspace, and prints it. */
const RECORDER = [
  '-e',
  "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const got={argv:process.argv.slice(1),stdin:s};require('fs').writeFileSync('got.json',JSON.stringify(got));console.log(JSON.stringify(got))})"
]

const echoTool: CommandToolConfig = {
  name: 'record',
  command: process.execPath,
  args: [...RECORDER, '{{text}}', 'n={{n}}', '{{nested.deep}}'],
  input: {
    type: 'object',
    properties: { text: { type: 'string' }, n: { type: 'integer' }, nested: { type: 'object' } },
    required: ['text'],
    additionalProperties: false
  },
  risk: 'low'
}

describe('a command tool run directly', () => {
  const dirs = tempDirsPerTest()

  it('passes hostile text as exactly one argument each and as JSON on stdin; no shell reads it', async () => {
    const ws = dirs('andon-cmd-')
    const tool = commandTool(echoTool)
    const input = { text: HOSTILE, n: 3, nested: { deep: "a'b" } }
    const result = await tool.run(tool.input.parse(input), toolContext(ws))
    expect(result).toMatchObject({ ok: true, exitCode: 0, summary: 'record: exit 0' })
    const got = JSON.parse(readFileSync(join(ws, 'got.json'), 'utf8'))
    expect(got.argv).toEqual([HOSTILE, 'n=3', "a'b"])
    expect(JSON.parse(got.stdin)).toEqual(input)
    expect(readdirSync(ws).filter((f) => f.startsWith('pwned'))).toEqual([])
  })

  it('checks the input against its JSON Schema, naming each bad field', () => {
    const tool = commandTool(echoTool)
    const bad = tool.input.safeParse({ n: 'x', extra: 1 })
    expect(bad.success).toBe(false)
    const issues = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    expect(issues).toEqual(expect.arrayContaining(['text: required', 'n: must be integer', 'extra: not allowed']))
  })

  it('runs in the sandbox: it writes in the workspace only', async () => {
    const ws = dirs('andon-cmd-')
    const outside = mkdtempSync(join(tmpdir(), 'andon-outside-'))
    try {
      const tool = commandTool({ name: 'touch', command: 'touch', args: ['{{path}}'], input: { type: 'object', properties: { path: { type: 'string' } } }, stdin: 'none' })
      const inside = await tool.run({ path: 'here.txt' }, toolContext(ws))
      expect(inside.ok).toBe(true)
      expect(existsSync(join(ws, 'here.txt'))).toBe(true)
      const escaped = await tool.run({ path: join(outside, 'there.txt') }, toolContext(ws))
      expect(escaped.ok).toBe(false)
      expect(escaped.excerpt).toMatch(/Read-only file system|Permission denied/)
      expect(existsSync(join(outside, 'there.txt'))).toBe(false)
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })

  it('fills templates with text as is, numbers and booleans as text, objects as JSON, absent fields as nothing', () => {
    expect(fillArgs(['{{a}}', '--n={{ n }}', '{{o}}', '[{{missing}}]', '{{b}}'], { a: '$(x)', n: 2, o: { k: [1] }, b: false })).toEqual(['$(x)', '--n=2', '{"k":[1]}', '[]', 'false'])
  })
})

describe('command tools in a loop', () => {
  let andon: Awaited<ReturnType<typeof tempAndon>>
  beforeEach(async () => {
    andon = await tempAndon()
  })
  afterEach(() => andon.cleanup())

  function loopSpec(over: Partial<LoopSpecInput>) {
    const { spec, specPath } = exampleSpec('fix-the-tests')
    return { spec: LoopSpecSchema.parse({ ...spec, ...over }), specPath }
  }

  it('a rules loop calls its command tool with hostile text, observes its output, and converges', async () => {
    const { spec, specPath } = loopSpec({
      tools: [{ name: 'verify' }, echoTool],
      policy: {
        kind: 'rules',
        rules: [
          { name: 'record', when: { start: true }, then: { tool: 'record', args: { text: HOSTILE, n: 7 } } },
          { name: 'done', when: { lastTool: 'record' }, then: { tool: 'verify' } }
        ]
      },
      termination: { verifyCommand: 'test -f got.json' }
    })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await andon.supervisor.settled(loopId)
    const state = andon.store.loadState(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    const observed = andon.store.readStream(loopId).find((e) => e.type === 'Observed' && e.data.observation.tool === 'record')
    expect(observed?.type === 'Observed' && JSON.parse(observed.data.observation.excerpt).argv).toEqual([HOSTILE, 'n=7', ''])
    expect(readdirSync(state.workspace!).filter((f) => f.startsWith('pwned'))).toEqual([])
  })

  it('a call whose input does not match the schema never runs and escalates naming the field', async () => {
    const { spec, specPath } = loopSpec({
      tools: [{ name: 'verify' }, echoTool],
      policy: { kind: 'rules', rules: [{ name: 'bad', when: {}, then: { tool: 'record', args: { n: 'seven' } } }] }
    })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await andon.supervisor.settled(loopId)
    const state = andon.store.loadState(loopId)
    expect(state.escalation?.failingInvariants.map((f) => f.name)).toContain('valid-tool-input')
    expect(state.escalation?.summary).toMatch(/bad input for record: .*text: required/)
    expect(existsSync(join(state.workspace!, 'got.json'))).toBe(false)
  })

  it('is high risk unless the spec says otherwise: under approve-risky it waits for the operator', async () => {
    const { spec, specPath } = loopSpec({
      autonomy: 'approve-risky',
      tools: [{ name: 'verify' }, { ...echoTool, risk: undefined }],
      policy: { kind: 'rules', rules: [{ name: 'record', when: {}, then: { tool: 'record', args: { text: 'hi' } } }] }
    })
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await andon.supervisor.settled(loopId)
    const state = andon.store.loadState(loopId)
    expect(state.status).toBe('awaiting-approval')
    expect(state.pendingCall).toMatchObject({ action: { tool: 'record' }, risk: 'high' })
  })

  it('spec validation names a placeholder with no input field, an unusable schema, a field only command tools have, and a clash with a built-in tool', () => {
    const yaml = (extra: string) =>
      [
        'name: t',
        'task: t',
        'policy: { kind: rules, rules: [{ name: r, when: {}, then: { tool: verify } }] }',
        'tools:',
        '  - { name: verify }',
        '  - { name: look, command: grep, args: ["{{pattern}}"], input: { type: object, properties: { text: { type: string } } } }',
        '  - { name: odd, command: "true", input: { type: object, properties: { a: { type: nope } } } }',
        '  - { name: read_file, command: cat }',
        extra
      ].join('\n')
    const errors = (text: string) => {
      const v = validateSpecText(text)
      return v.ok ? [] : v.errors
    }
    expect(errors(yaml(''))).toEqual([
      { path: 'tools.1.args.0', message: "{{pattern}} names no property of the tool's input" },
      { path: 'tools.2.input', message: expect.stringContaining('not a usable JSON Schema') }
    ])
    expect(errors(yaml('  - { name: plain, description: no command here }'))).toEqual([{ path: 'tools.4.description', message: 'only a command tool (one with `command`) has description' }])
    const { spec } = loopSpec({ tools: [{ name: 'verify' }, { name: 'replace_in_file' }, { name: 'read_file', command: 'cat' }] })
    expect(andon.supervisor.specProblems(spec)).toEqual([{ path: 'tools.2.name', message: '"read_file" is a built-in tool: a command tool needs a name of its own' }])
  })
})
