import { describe, expect, it } from 'vitest'
import { AnthropicPolicySpec } from '../../src/shared/spec'
import { toDecision } from '../../src/main/core/policies/anthropic/parse'
import { toolParam } from '../../src/main/core/policies/anthropic/prompt'
import { builtinTools } from '../../src/main/core/tools'
import { describeTool } from '../../src/main/core/tools/tool'

const tools = builtinTools.map(describeTool)
const msg = (name: string, input: Record<string, unknown>) => ({
  model: 'claude-sonnet-4-5',
  content: [{ type: 'tool_use', name, input: { ...input, _report: { subgoal: 's', confidence: 0.5, rationale: 'r' } } }],
  stop_reason: 'tool_use',
  usage: { input_tokens: 10, output_tokens: 10 }
})

const valid: Record<string, Record<string, unknown>> = {
  verify: {},
  run_command: { command: 'ls' },
  read_file: { path: 'a.txt' },
  write_file: { path: 'a.txt', content: 'x' },
  replace_in_file: { path: 'a.txt', find: 'x', replace: 'y' },
  github_ci_status: { repo: 'octo/app' },
  github_read_file: { path: 'README.md' },
  github_open_issue: { title: 'CI is red', labels: ['ci'] },
  github_open_pr: { title: 'Fix', head: 'fix/ci' },
  github_comment: { number: 3, body: 'hi' }
}

const sonnet = AnthropicPolicySpec.parse({ kind: 'anthropic', model: 'claude-sonnet-4-5' })

describe('the anthropic policy checks model input against every built-in tool', () => {
  it('knows a valid call for each tool (the table covers the registry)', () => {
    expect(tools.map((t) => t.name).sort()).toEqual(Object.keys(valid).sort())
  })

  it.each(tools.map((t) => t.name))('%s: valid input passes, wrong types and unknown fields are refused', (name) => {
    const d = toDecision(sonnet, msg(name, valid[name]), tools, {})
    expect(d.action).toEqual({ tool: name, args: valid[name] })
    expect(() => toDecision(sonnet, msg(name, { ...valid[name], bogus_field: 1 }), tools, {})).toThrow(/input fails its schema/)
    // The definition sent to the API carries the report field and a plain object schema.
    expect(toolParam(tools.find((t) => t.name === name)!).input_schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['_report']) })
  })

  it('refuses a wrongly typed field', () => {
    expect(() => toDecision(sonnet, msg('github_comment', { number: 'three', body: 'x' }), tools, {})).toThrow(/number: .*expected number/)
  })
})
