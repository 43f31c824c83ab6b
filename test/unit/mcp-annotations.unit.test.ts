import { describe, expect, it } from 'vitest'
import { MAX_TOOL_NAME_LENGTH, mcpToolName, mcpToolNames, mcpToolTraits } from '../../src/main/core/tools/mcp/annotations'
import { resultText } from '../../src/main/core/tools/mcp/mcp-tool'
import { fillSecrets } from '../../src/main/core/secrets/secret-refs'

describe('MCP annotations as risk and idempotence', () => {
  it('read-only is low risk and safe to re-run, whatever idempotentHint says', () => {
    expect(mcpToolTraits({ readOnlyHint: true })).toEqual({ risk: 'low', idempotent: true })
    expect(mcpToolTraits({ readOnlyHint: true, destructiveHint: true, idempotentHint: false })).toEqual({ risk: 'low', idempotent: true })
  })
  it('destructive is high risk; idempotent only when the server says so', () => {
    expect(mcpToolTraits({ destructiveHint: true })).toEqual({ risk: 'high', idempotent: false })
    expect(mcpToolTraits({ readOnlyHint: false, destructiveHint: true, idempotentHint: true })).toEqual({ risk: 'high', idempotent: true })
  })
  it('anything else, no annotations included, is medium and not re-run', () => {
    expect(mcpToolTraits(undefined)).toEqual({ risk: 'medium', idempotent: false })
    expect(mcpToolTraits({})).toEqual({ risk: 'medium', idempotent: false })
    expect(mcpToolTraits({ readOnlyHint: false, destructiveHint: false, idempotentHint: true })).toEqual({ risk: 'medium', idempotent: true })
  })
  it("the spec's overrides win over the annotations, each on its own", () => {
    expect(mcpToolTraits({ readOnlyHint: true }, { risk: 'high' })).toEqual({ risk: 'high', idempotent: true })
    expect(mcpToolTraits({ destructiveHint: true }, { idempotent: true })).toEqual({ risk: 'high', idempotent: true })
    expect(mcpToolTraits({ readOnlyHint: true }, { risk: 'medium', idempotent: false })).toEqual({ risk: 'medium', idempotent: false })
  })
})

describe('MCP tool names', () => {
  it('are mcp__<server>__<tool>, with characters a tool name may not hold turned into _', () => {
    expect(mcpToolName('notes', 'read_note')).toBe('mcp__notes__read_note')
    expect(mcpToolName('gh', 'issues.list/all me')).toBe('mcp__gh__issues_list_all_me')
    expect(mcpToolName('x', 'créer-note')).toBe('mcp__x__cr_er-note')
  })
  it('a name over 64 characters is refused, saying which tool', () => {
    const long = 'a'.repeat(MAX_TOOL_NAME_LENGTH)
    const r = mcpToolNames('notes', ['ok', long])
    expect(r).toEqual({ problem: expect.stringMatching(new RegExp(`tool "${long}" would be mcp__notes__a+, longer than 64 characters`)) })
    const fits = 'a'.repeat(MAX_TOOL_NAME_LENGTH - 'mcp__notes__'.length)
    expect(mcpToolNames('notes', [fits])).toEqual({ names: new Map([[fits, `mcp__notes__${fits}`]]) })
  })
  it('two tools that sanitise to the same name are refused, naming both', () => {
    expect(mcpToolNames('notes', ['a.b', 'a_b'])).toEqual({ problem: 'its tools "a.b" and "a_b" would both be mcp__notes__a_b' })
  })
})

describe('MCP secrets in env and headers', () => {
  it('fills each ${NAME} from the loop secrets, inside a value too', () => {
    expect(fillSecrets({ TOKEN: '${GH}', AUTH: 'Bearer ${GH}', PLAIN: 'x' }, { GH: 's3cret' }, 'mcp.0.env')).toEqual({ TOKEN: 's3cret', AUTH: 'Bearer s3cret', PLAIN: 'x' })
  })
  it('a name the loop has no secret for fails naming the field', () => {
    expect(() => fillSecrets({ TOKEN: '${NOPE}' }, { GH: 's' }, 'mcp.1.env')).toThrow(/^mcp\.1\.env\.TOKEN: \$\{NOPE\} is not a secret this loop has/)
  })
})

describe('MCP results as tool output', () => {
  it('joins text; names images and resources; shows structured content only when there is no text', () => {
    expect(
      resultText({
        content: [
          { type: 'text', text: 'one' },
          { type: 'image', mimeType: 'image/png', data: 'AAAA' },
          { type: 'resource_link', uri: 'file:///a.txt', name: 'a' },
          { type: 'text', text: 'two' }
        ],
        structuredContent: { hidden: true }
      })
    ).toBe('one\n[image image/png, 3 bytes]\n[resource file:///a.txt]\ntwo')
    expect(resultText({ content: [], structuredContent: { n: 1 } })).toBe('{\n  "n": 1\n}')
  })
})
