/**
 * The claude-code policy's pure parts: the risk table and its overrides, what Andon tells Claude
 * (verify failures, the operator's facts), how Claude Code's results become observations, the
 * environment it gets, where a fork's paths go, and how its edits replay into a fork's copy.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findClaudeCode } from '../../src/main/core/policies/claude-code/installation'
import { operatorContext, subgoalFrom, toolResultOf, verifyFeedback } from '../../src/main/core/policies/claude-code/messages'
import { relocatePaths } from '../../src/main/core/policies/claude-code/relocate'
import { sessionEnv } from '../../src/main/core/policies/claude-code/session-env'
import { claudeCodeRisk } from '../../src/main/core/policies/claude-code/tools'
import { replayAgentEdit } from '../../src/main/core/supervisor/agent-edits'
import { confirmedSpec } from '../../src/main/core/supervisor/fork-review'
import { ClaudeCodePolicySpec } from '../../src/shared/spec'
import { initialState, type LoopState } from '../../src/shared/state'
import { spec } from '../support/specs'

const policy = (extra: Record<string, unknown> = {}) => ClaudeCodePolicySpec.parse({ kind: 'claude-code', ...extra })
const WS = '/data/workspaces/loop-a'

function state(over: Partial<LoopState> = {}): LoopState {
  return { ...initialState('loop-a'), spec: spec({ policy: policy(), termination: { verifyCommand: 'npm test' } }), ...over }
}

describe('the gate risk of Claude Code tools', () => {
  it('follows the table: reads low, edits medium, commands and fetches high, anything unknown high', () => {
    const p = policy()
    expect(claudeCodeRisk(p, 'Read', { file_path: `${WS}/a.js` }, WS)).toBe('low')
    expect(claudeCodeRisk(p, 'Edit', { file_path: `${WS}/a.js` }, WS)).toBe('medium')
    expect(claudeCodeRisk(p, 'Write', { file_path: 'src/new.ts' }, WS)).toBe('medium')
    expect(claudeCodeRisk(p, 'Bash', { command: 'ls' }, WS)).toBe('high')
    expect(claudeCodeRisk(p, 'WebFetch', { url: 'https://x' }, WS)).toBe('high')
    expect(claudeCodeRisk(p, 'mcp__db__drop_table', {}, WS)).toBe('high')
  })

  it('a spec moves a tool; an edit outside the workspace stays high whatever the spec says', () => {
    const p = policy({ toolRisk: { Bash: 'medium', Edit: 'low' } })
    expect(claudeCodeRisk(p, 'Bash', { command: 'ls' }, WS)).toBe('medium')
    expect(claudeCodeRisk(p, 'Edit', { file_path: `${WS}/a.js` }, WS)).toBe('low')
    expect(claudeCodeRisk(p, 'Edit', { file_path: '/etc/passwd' }, WS)).toBe('high')
    expect(claudeCodeRisk(p, 'Edit', { file_path: '../loop-b/a.js' }, WS)).toBe('high')
    expect(claudeCodeRisk(p, 'Write', {}, WS)).toBe('high')
  })
})

describe('what Andon tells Claude Code', () => {
  it('a failed verify after "done" becomes feedback naming the command and its output; a pass is no feedback', () => {
    const failed = state({ lastObservation: { tool: 'verify', ok: false, exitCode: 1, summary: 'npm test: exit 1', excerpt: 'FAIL add(2, 3): expected 5' } })
    expect(verifyFeedback(failed)).toMatch(/`npm test` and it failed \(exit code 1\)[\s\S]*FAIL add\(2, 3\): expected 5[\s\S]*Keep working/)
    expect(verifyFeedback(state({ lastObservation: { tool: 'verify', ok: true, exitCode: 0, summary: 'ok', excerpt: '' } }))).toBeNull()
    expect(verifyFeedback(state({ lastObservation: { tool: 'Bash', ok: false, exitCode: 2, summary: 'x', excerpt: '' } }))).toBeNull()
  })

  it("the operator's facts and subgoal are told once each, when new", () => {
    const delivered = { facts: new Set<string>(), subgoal: 'mine' }
    expect(operatorContext(state({ facts: ['tests live in test/'], subgoal: 'mine' }), delivered)).toEqual([
      'The operator supervising you (through Andon) adds these facts:\n- tests live in test/'
    ])
    expect(operatorContext(state({ facts: ['tests live in test/'], subgoal: 'mine' }), delivered)).toEqual([])
    expect(operatorContext(state({ facts: ['tests live in test/', 'use pnpm'], subgoal: 'fix the parser first' }), delivered)).toEqual([
      'The operator supervising you (through Andon) adds these facts:\n- use pnpm',
      'The operator set your current subgoal: fix the parser first'
    ])
  })

  it("the subgoal is Claude's in-progress todo, else the first line it said", () => {
    const todos = { todos: [{ content: 'Read', status: 'completed' }, { content: 'Fix add', activeForm: 'Fixing add', status: 'in_progress' }] }
    expect(subgoalFrom('TodoWrite', todos, '', 'before')).toBe('Fixing add')
    expect(subgoalFrom('Bash', { command: 'ls' }, '\n  Looking around.\nthen more', 'before')).toBe('Looking around.')
    expect(subgoalFrom('Bash', { command: 'ls' }, '', 'before')).toBe('before')
  })
})

describe("Claude Code's results as observations", () => {
  it('Bash output streams to the terminal and is the excerpt; a failure keeps its exit code', () => {
    const chunks: string[] = []
    const ok = toolResultOf('Bash', { command: 'npm test' }, { ok: true, response: { stdout: 'all good\n', stderr: 'warn\n' } }, (s, c) => chunks.push(`${s}:${c}`))
    expect(chunks).toEqual(['stdout:all good\n', 'stderr:warn\n'])
    expect(ok).toMatchObject({ ok: true, exitCode: 0, summary: 'Bash npm test: done', excerpt: 'all good\n\nwarn\n' })
    const failed = toolResultOf('Bash', { command: 'npm test' }, { ok: false, response: null, error: 'Exit code 3\nboom' }, () => undefined)
    expect(failed).toMatchObject({ ok: false, exitCode: 3, summary: 'Bash npm test: Exit code 3', excerpt: 'Exit code 3\nboom' })
  })
})

describe('the environment Claude Code runs with', () => {
  it("passes its credentials, switches and the spec's secrets, and nothing else of the host's", () => {
    const env = sessionEnv(
      { PATH: '/bin', HOME: '/h', ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://x', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', NPM_TOKEN: 'n', AWS_SECRET_ACCESS_KEY: 'a', GITHUB_TOKEN: 'g' },
      ['NPM_TOKEN']
    )
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/h',
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: 'http://x',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      NPM_TOKEN: 'n',
      CLAUDE_AGENT_SDK_CLIENT_APP: 'andon'
    })
  })
})

describe('where Claude Code comes from', () => {
  it('a spec or environment naming a missing executable is an error naming the field; a real one is used', () => {
    expect(findClaudeCode(policy({ executable: '/nowhere/claude' }), {})).toBe('policy.executable names /nowhere/claude, which is not an executable file')
    expect(findClaudeCode(policy(), { ANDON_CLAUDE_CODE_EXECUTABLE: '/nowhere/claude' })).toMatch(/^ANDON_CLAUDE_CODE_EXECUTABLE names/)
    const dir = mkdtempSync(join(tmpdir(), 'andon-claude-bin-'))
    const bin = join(dir, 'claude')
    writeFileSync(bin, '#!/bin/sh\n')
    chmodSync(bin, 0o755)
    expect(findClaudeCode(policy(), { ANDON_CLAUDE_CODE_EXECUTABLE: bin })).toEqual({ executable: bin, source: 'environment' })
    // Without either, the SDK's own binary (installed here as an optional dependency).
    expect(findClaudeCode(policy(), {})).toMatchObject({ source: 'sdk' })
  })

  it('a fork of an imported loop never runs the executable its bundle named', () => {
    const imported = spec({ policy: policy({ executable: '/tmp/evil' }), termination: { verifyCommand: 'true' } })
    const forked = confirmedSpec(imported, {})
    expect(forked.policy).toMatchObject({ kind: 'claude-code' })
    expect((forked.policy as { executable?: string }).executable).toBeUndefined()
  })
})

describe('a fork of a Claude Code loop', () => {
  it("moves file paths under an ancestor's workspace into its own", () => {
    const from = ['/data/workspaces/parent', '/data/workspaces/root']
    expect(relocatePaths({ file_path: '/data/workspaces/parent/src/a.ts', old_string: 'x' }, from, '/data/workspaces/child')).toEqual({
      file_path: '/data/workspaces/child/src/a.ts',
      old_string: 'x'
    })
    expect(relocatePaths({ path: '/data/workspaces/root' }, from, '/c')).toEqual({ path: '/c' })
    expect(relocatePaths({ file_path: '/data/workspaces/parent-2/a.ts' }, from, '/c')).toEqual({ file_path: '/data/workspaces/parent-2/a.ts' })
    expect(relocatePaths({ command: 'cat /data/workspaces/parent/a' }, from, '/c')).toEqual({ command: 'cat /data/workspaces/parent/a' })
  })

  it("replays Claude Code's Edit, MultiEdit and Write into the copy, and nothing outside it", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'andon-parent-'))
    const copy = mkdtempSync(join(tmpdir(), 'andon-copy-'))
    writeFileSync(join(copy, 'm.js'), 'a - b; a - b; x')
    expect(await replayAgentEdit(copy, parent, 'Edit', { file_path: join(parent, 'm.js'), old_string: 'a - b', new_string: 'a + b' })).toBe(true)
    expect(readFileSync(join(copy, 'm.js'), 'utf8')).toBe('a + b; a - b; x')
    const multi = { file_path: join(parent, 'm.js'), edits: [{ old_string: 'a - b', new_string: 'A', replace_all: true }, { old_string: 'x', new_string: 'y' }] }
    expect(await replayAgentEdit(copy, parent, 'MultiEdit', multi)).toBe(true)
    expect(readFileSync(join(copy, 'm.js'), 'utf8')).toBe('a + b; A; y')
    expect(await replayAgentEdit(copy, parent, 'Write', { file_path: join(parent, 'new/n.txt'), content: 'hi' })).toBe(true)
    expect(readFileSync(join(copy, 'new/n.txt'), 'utf8')).toBe('hi')
    expect(await replayAgentEdit(copy, parent, 'Write', { file_path: '/etc/andon-x', content: 'no' })).toBe(false)
    expect(await replayAgentEdit(copy, parent, 'Edit', { file_path: join(parent, 'm.js'), old_string: 'absent', new_string: 'z' })).toBe(false)
  })
})
