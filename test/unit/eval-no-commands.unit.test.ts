/** What `andon eval --no-commands` refuses: any way a spec could start a program, each named at its field. */
import { describe, expect, it } from 'vitest'
import type { LoopSpecInput } from '../../src/shared/spec'
import { commandProblems } from '../../src/main/core/eval/no-commands'
import { spec } from '../support/specs'

const rules: LoopSpecInput['policy'] = { kind: 'rules', rules: [{ name: 'look', when: {}, then: { tool: 'read_file', args: { path: 'a' } } }] }
const files = [{ name: 'read_file' }, { name: 'replace_in_file' }]
const fieldsOf = (input: Partial<LoopSpecInput>) => commandProblems(spec({ policy: rules, tools: files, ...input })).map((p) => p.path)

describe('commandProblems (the gate option --no-commands)', () => {
  it('a rules loop with file tools starts nothing; an HTTP MCP server and a sandbox that opens writes start nothing either', () => {
    expect(fieldsOf({})).toEqual([])
    expect(fieldsOf({ mcp: [{ name: 'remote', url: 'http://127.0.0.1:1/mcp' }], sandbox: { allowWrite: ['/tmp'] } })).toEqual([])
    expect(fieldsOf({ policy: { kind: 'anthropic', model: 'claude-sonnet-4-5' } })).toEqual([])
  })

  it('names each way a spec could start a program', () => {
    expect(fieldsOf({ policy: { kind: 'process', command: 'node', args: ['agent.mjs'] } })).toEqual(['policy.kind'])
    expect(fieldsOf({ policy: { kind: 'claude-code' } })).toEqual(['policy.kind'])
    expect(fieldsOf({ tools: [...files, { name: 'run_command' }, { name: 'verify' }] })).toEqual(['tools[2]', 'tools[3]'])
    expect(fieldsOf({ tools: [...files, { name: 'tamper', command: 'sh', args: ['-c', 'true'] }] })).toEqual(['tools[2].command'])
    expect(fieldsOf({ mcp: [{ name: 'local', command: 'node', args: ['server.mjs'] }] })).toEqual(['mcp[0].command'])
    expect(fieldsOf({ sandbox: { allowUnsandboxed: true } })).toEqual(['sandbox.allowUnsandboxed'])
  })

  it('no built-in tool picked means every one, run_command included', () => {
    expect(fieldsOf({ tools: [] })).toEqual(['tools'])
    // Command tools alone leave the built-ins unpicked too.
    expect(fieldsOf({ tools: [{ name: 'mine', command: 'true' }] })).toEqual(['tools', 'tools[0].command'])
  })

  it('says why in words the spec author can act on', () => {
    const [p] = commandProblems(spec({ policy: rules, tools: files, sandbox: { allowUnsandboxed: true } }))
    expect(p.message).toMatch(/no sandbox/)
  })
})
