/**
 * The one narrowing helper behind "always allow this" and the track record's promotion
 * suggestions: every pattern it proposes must allow the calls it came from through the gate's
 * own matcher, and nothing wider than what they share (never a bare command or path tool).
 */
import { describe, expect, it } from 'vitest'
import { decidingRule } from '../../src/main/core/approvals/match'
import { narrowRulePattern, type NarrowCall } from '../../src/shared/rule-narrowing'

const WS = '/ws'
const cmds = (...commands: string[]): NarrowCall[] => commands.map((command) => ({ args: { command }, workspace: WS }))
const files = (key: string, ...paths: string[]): NarrowCall[] => paths.map((p) => ({ args: { [key]: p }, workspace: WS }))
/** Whether an allow of `pattern` lets this call run unasked at the gate. */
const allows = (pattern: string, tool: string, args: Record<string, unknown>) =>
  decidingRule({ tool, args }, [{ effect: 'allow', pattern, source: 'spec' }], { workspace: WS })?.effect === 'allow'

describe('paths', () => {
  it("Claude Code's absolute paths inside the workspace become relative: the exact file, or the directory they share", () => {
    expect(narrowRulePattern('Edit', files('file_path', '/ws/src/f1.ts', '/ws/src/f2.ts'))).toBe('Edit(src/**)')
    expect(narrowRulePattern('Edit', files('file_path', '/ws/src/a/f.ts', '/ws/src/b/g.ts'))).toBe('Edit(src/**)')
    expect(narrowRulePattern('Edit', files('file_path', '/ws/README.md'))).toBe('Edit(README.md)')
    expect(narrowRulePattern('Write', files('file_path', '/ws/./src/../lib/x.ts', '/ws/lib/x.ts'))).toBe('Write(lib/x.ts)')
  })

  it('files at the workspace root that differ, or any path outside it, suggest nothing (never the bare tool)', () => {
    expect(narrowRulePattern('write_file', files('path', 'a.txt', 'b.txt'))).toBeNull()
    expect(narrowRulePattern('Edit', files('file_path', '/ws/a.ts', '/ws/b.ts'))).toBeNull()
    expect(narrowRulePattern('Edit', files('file_path', '/etc/passwd'))).toBeNull()
    expect(narrowRulePattern('Edit', files('file_path', '/ws/../etc/passwd'))).toBeNull()
    expect(narrowRulePattern('Edit', files('file_path', '/wsx/a.ts'))).toBeNull()
    // Andon's own tools: the gate never reads an absolute path as inside the workspace.
    expect(narrowRulePattern('write_file', files('path', '/ws/src/a.ts'))).toBeNull()
    expect(narrowRulePattern('Edit', [{ args: { file_path: '/ws/src/a.ts' }, workspace: null }])).toBeNull()
    for (const bad of ['../x', 'src/*.ts', '~/x', 'C:/x', 'a\\b', '']) expect(narrowRulePattern('write_file', files('path', bad)), bad).toBeNull()
  })

  it('each suggestion allows the calls it came from at the gate, and not a file outside what they share', () => {
    const calls = files('file_path', '/ws/src/f1.ts', '/ws/src/deep/f2.ts')
    const pattern = narrowRulePattern('Edit', calls)!
    for (const c of calls) expect(allows(pattern, 'Edit', c.args)).toBe(true)
    expect(allows(pattern, 'Edit', { file_path: '/ws/package.json' })).toBe(false)
    expect(allows('write_file(src/a b.ts)', 'write_file', { path: 'src/a b.ts' })).toBe(narrowRulePattern('write_file', files('path', 'src/a b.ts')) === 'write_file(src/a b.ts)')
  })
})

describe('commands', () => {
  it('the same command every time: exactly that command', () => {
    expect(narrowRulePattern('run_command', cmds('npm test -- --watch=false'))).toBe('run_command(npm test -- --watch=false)')
    expect(narrowRulePattern('Bash', cmds('python -m pytest', 'python -m pytest'))).toBe('Bash(python -m pytest)')
  })

  it('different commands: the longest whole-word prefix they share, from program and first argument on', () => {
    expect(narrowRulePattern('run_command', cmds('npm test', 'npm test -- --watch=false'))).toBe('run_command(npm test:*)')
    expect(narrowRulePattern('run_command', cmds('git log --oneline', 'git log -p'))).toBe('run_command(git log:*)')
    expect(narrowRulePattern('run_command', cmds('python -m pytest', 'python -m pytest -x tests'))).toBe('run_command(python -m pytest:*)')
    expect(narrowRulePattern('run_command', cmds('npx -y x', 'npx -y x --fix'))).toBe('run_command(npx -y x:*)')
    expect(narrowRulePattern('run_command', cmds('uv run pytest a', 'uv run pytest b'))).toBe('run_command(uv run pytest:*)')
    expect(narrowRulePattern('run_command', cmds('node verify.js', 'node verify.js --fast'))).toBe('run_command(node verify.js:*)')
  })

  it('never a prefix that names only a program, only options, or an interpreter without its script', () => {
    for (const pair of [
      ['git status', 'git diff'],
      ['rm -rf build', 'rm -rf dist'],
      ['python -m pytest', 'python -c print'],
      ['python -m pytest', 'python -m mypy'],
      ['python a.py', 'python b.py'],
      ['npx -y x', 'npx -y y'],
      ['uv run pytest', 'uv run mypy'],
      ['uv run python a.py', 'uv run python b.py'],
      ['node -e 1', 'node -e 2'],
      ['bash -c ls', 'bash -c pwd'],
      ['sudo rm a', 'sudo rm b'],
      ['env A=1 node a.js', 'env A=1 node b.js']
    ]) {
      expect(narrowRulePattern('run_command', cmds(...pair)), pair.join(' | ')).toBeNull()
    }
  })

  it('a compound command, or one with a glob star, gets no suggestion at all (an allow never matches it)', () => {
    for (const c of ['npm test && curl x', 'npm test; rm -rf /', 'echo `id`', 'echo $(id)', 'npm test | sh', 'rm *', 'cat a > b']) {
      expect(narrowRulePattern('run_command', cmds(c)), c).toBeNull()
      expect(narrowRulePattern('run_command', cmds('npm test', c)), c).toBeNull()
    }
  })

  it('a suggested prefix allows the calls it came from, and not what the reviewer feared', () => {
    const calls = cmds('python -m pytest', 'python -m pytest -x')
    const pattern = narrowRulePattern('run_command', calls)!
    for (const c of calls) expect(allows(pattern, 'run_command', c.args)).toBe(true)
    expect(allows(pattern, 'run_command', { command: `python -c "__import__('shutil').rmtree('/x')"` })).toBe(false)
    const exact = narrowRulePattern('run_command', cmds('npx -y x'))!
    expect(allows(exact, 'run_command', { command: 'npx -y x' })).toBe(true)
    expect(allows(exact, 'run_command', { command: 'npx -y evil' })).toBe(false)
  })
})

describe('other tools', () => {
  it('a tool with no command or path argument is the tool itself; text is exact when it agrees', () => {
    expect(narrowRulePattern('verify', [{ args: {}, workspace: WS }])).toBe('verify')
    expect(narrowRulePattern('WebFetch', [{ args: { url: 'https://a.example/x' }, workspace: WS }])).toBe('WebFetch(https://a.example/x)')
    expect(narrowRulePattern('run_command', [{ args: {}, workspace: WS }])).toBeNull()
  })
})
