/**
 * What a rule's tool covers: `mcp__<server>` is every tool of that server; for a deny or an ask,
 * Claude Code's Read rules cover Grep, Glob and NotebookRead and its Edit rules Write, MultiEdit
 * and NotebookEdit; a search (Grep, Glob) of a folder that holds a denied path is denied, the
 * workspace root when no path is given.
 */
import { describe, expect, it } from 'vitest'
import { decidingRule, type CandidateRule } from '../../src/main/core/approvals/match'
import type { Action } from '../../src/shared/spec'

const WS = '/work/ws'
const rule = (effect: CandidateRule['effect'], pattern: string): CandidateRule => ({ effect, pattern, source: 'spec' })
const effectOf = (action: Action, ...rules: CandidateRule[]) => decidingRule(action, rules, { workspace: WS })?.effect ?? null
const call = (tool: string, args: Record<string, unknown> = {}): Action => ({ tool, args })

describe('mcp__<server> without a tool', () => {
  it('covers every tool of that server, and no other server', () => {
    expect(effectOf(call('mcp__github__create_issue'), rule('deny', 'mcp__github'))).toBe('deny')
    expect(effectOf(call('mcp__github__list_repos'), rule('allow', 'mcp__github'))).toBe('allow')
    expect(effectOf(call('mcp__githubx__list_repos'), rule('allow', 'mcp__github'))).toBeNull()
    expect(effectOf(call('mcp__git__log'), rule('deny', 'mcp__github'))).toBeNull()
  })
})

describe("Claude Code's rule families", () => {
  it('a deny on Read(...) covers Grep, Glob and NotebookRead paths under it; an allow does not widen', () => {
    const deny = rule('deny', 'Read(secrets/**)')
    expect(effectOf(call('Grep', { pattern: 'key', path: `${WS}/secrets/prod` }), deny)).toBe('deny')
    expect(effectOf(call('Glob', { pattern: '*.pem', path: 'secrets/tls' }), deny)).toBe('deny')
    expect(effectOf(call('NotebookRead', { notebook_path: `${WS}/secrets/n.ipynb` }), deny)).toBe('deny')
    expect(effectOf(call('Grep', { pattern: 'x', path: `${WS}/src` }), deny)).toBeNull()
    expect(effectOf(call('Grep', { pattern: 'x', path: `${WS}/src` }), rule('allow', 'Read(src/**)'))).toBeNull()
  })

  it('a deny on Edit(...) covers Write, MultiEdit and NotebookEdit', () => {
    const deny = rule('deny', 'Edit(.github/**)')
    expect(effectOf(call('Write', { file_path: `${WS}/.github/workflows/ci.yml`, content: '' }), deny)).toBe('deny')
    expect(effectOf(call('MultiEdit', { file_path: `${WS}/.github/x.yml`, edits: [] }), deny)).toBe('deny')
    expect(effectOf(call('NotebookEdit', { notebook_path: `${WS}/.github/n.ipynb` }), deny)).toBe('deny')
    expect(effectOf(call('Write', { file_path: `${WS}/src/a.ts`, content: '' }), deny)).toBeNull()
    // An ask restricts too; a bare Edit deny covers the family.
    expect(effectOf(call('Write', { file_path: `${WS}/.github/a`, content: '' }), rule('ask', 'Edit(.github/**)'))).toBe('ask')
    expect(effectOf(call('MultiEdit', { file_path: `${WS}/a`, edits: [] }), rule('deny', 'Edit'))).toBe('deny')
  })

  it('a search with no path reads the workspace root: denied when a denied path is inside it', () => {
    expect(effectOf(call('Grep', { pattern: 'password' }), rule('deny', 'Read(secrets/**)'))).toBe('deny')
    expect(effectOf(call('Glob', { pattern: '**/*.pem' }), rule('deny', 'Read(certs/*.pem)'))).toBe('deny')
    expect(effectOf(call('Grep', { pattern: 'x', path: WS }), rule('deny', 'Read(.env)'))).toBe('deny')
    expect(effectOf(call('Grep', { pattern: 'x', path: '/' }), rule('deny', 'Read(/etc/**)'))).toBe('deny')
    // A denied path outside the workspace is not inside the root.
    expect(effectOf(call('Grep', { pattern: 'x' }), rule('deny', 'Read(/etc/**)'))).toBeNull()
    expect(effectOf(call('Grep', { pattern: 'x' }), rule('deny', 'Grep(/etc/**)'))).toBeNull()
  })

  it('paths are compared case-sensitively', () => {
    expect(effectOf(call('Read', { file_path: `${WS}/Secrets/a` }), rule('deny', 'Read(secrets/**)'))).toBeNull()
  })
})
