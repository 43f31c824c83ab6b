/**
 * Approval rule patterns: the one parser, the matcher (each pattern form, deny over ask over
 * allow), the hostile arguments a rule must not be fooled by, and the pattern suggested for a call.
 */
import { describe, expect, it } from 'vitest'
import { parseRulePattern, suggestRulePattern } from '../../src/shared/approval-rules'
import { LoopSpecSchema } from '../../src/shared/spec'
import { decidingRule, type CandidateRule } from '../../src/main/core/approvals/match'
import type { Action } from '../../src/shared/spec'

const WS = '/work/ws'
const ctx = { workspace: WS }
const rule = (effect: CandidateRule['effect'], pattern: string): CandidateRule => ({ effect, pattern, source: 'spec' })
const run = (command: string): Action => ({ tool: 'run_command', args: { command } })
/** The effect that decides `action` under these rules (null: none, the autonomy mode decides). */
const effectOf = (action: Action, ...rules: CandidateRule[]) => decidingRule(action, rules, ctx)?.effect ?? null
const allows = (pattern: string, action: Action) => effectOf(action, rule('allow', pattern)) === 'allow'
const denies = (pattern: string, action: Action) => effectOf(action, rule('deny', pattern)) === 'deny'

describe('parsing rule patterns', () => {
  it('reads a tool, a primary argument pattern and a named argument pattern', () => {
    expect(parseRulePattern('run_command')).toEqual({ ok: true, pattern: { tool: 'run_command', arg: null } })
    expect(parseRulePattern('run_command(npm test:*)')).toEqual({ ok: true, pattern: { tool: 'run_command', arg: { name: 'command', kind: 'command', spec: 'npm test:*' } } })
    expect(parseRulePattern('Edit(src/**)')).toMatchObject({ ok: true, pattern: { arg: { name: 'file_path', kind: 'path' } } })
    expect(parseRulePattern('mcp__db__query(sql=SELECT *)')).toEqual({ ok: true, pattern: { tool: 'mcp__db__query', arg: { name: 'sql', kind: 'text', spec: 'SELECT *' } } })
    expect(parseRulePattern('write_file(path=src/*.ts)')).toMatchObject({ ok: true, pattern: { arg: { name: 'path', kind: 'path' } } })
  })

  it('refuses a bad pattern with a message naming it', () => {
    const error = (p: string) => {
      const r = parseRulePattern(p)
      return r.ok ? null : r.error
    }
    expect(error('run_command(npm test')).toMatch(/"run_command\(npm test": an argument pattern ends with "\)"/)
    expect(error('run_command()')).toMatch(/argument pattern is empty/)
    expect(error('lookup_ticket(42)')).toMatch(/lookup_ticket has no primary argument: name one/)
    expect(error('rm -rf(x)')).toMatch(/is not a tool name/)
    expect(error('run_command(npm:* test)')).toMatch(/":\*" \(prefix match\) may only end the pattern/)
    expect(error('')).toMatch(/empty/)
    expect(error('x'.repeat(1001))).toMatch(/longer than 1000/)
  })

  it('a spec with a bad pattern fails validation, naming the field and the pattern', () => {
    const r = LoopSpecSchema.safeParse({
      name: 'n',
      task: 't',
      policy: { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'verify' } }] },
      approvals: { allow: ['run_command(npm test:*)', 'run_command(oops'] }
    })
    expect(r.success).toBe(false)
    expect(r.error!.issues).toEqual([expect.objectContaining({ path: ['approvals', 'allow', 1], message: expect.stringContaining('"run_command(oops"') })])
  })
})

describe('matching each pattern form', () => {
  it('a bare tool matches every call of that tool only', () => {
    expect(allows('run_command', run('anything at all; rm -rf /'))).toBe(true)
    expect(allows('run_command', { tool: 'read_file', args: { path: 'a' } })).toBe(false)
  })

  it('prefix:* is the prefix itself or the prefix and a space', () => {
    expect(allows('run_command(npm test:*)', run('npm test'))).toBe(true)
    expect(allows('run_command(npm test:*)', run('npm test -- --watch=false'))).toBe(true)
    expect(allows('run_command(npm test:*)', run('npm testing'))).toBe(false)
    expect(allows('run_command(npm test:*)', run('npm tes'))).toBe(false)
  })

  it('without * or :* the argument must be exactly the pattern', () => {
    expect(allows('run_command(make)', run('make'))).toBe(true)
    expect(allows('run_command(make)', run('make all'))).toBe(false)
    expect(allows('read_file(README.md)', { tool: 'read_file', args: { path: 'README.md' } })).toBe(true)
  })

  it('for paths * stays within a folder and ** crosses folders', () => {
    const w = (path: string): Action => ({ tool: 'write_file', args: { path, content: '' } })
    expect(allows('write_file(src/*.ts)', w('src/a.ts'))).toBe(true)
    expect(allows('write_file(src/*.ts)', w('src/deep/a.ts'))).toBe(false)
    expect(allows('write_file(src/**)', w('src/deep/a.ts'))).toBe(true)
    expect(allows('write_file(**/*.md)', w('README.md'))).toBe(true)
    expect(allows('write_file(**/*.md)', w('docs/a/b.md'))).toBe(true)
    // Regex syntax in a pattern is literal.
    expect(allows('write_file(src/(a|b).ts)', w('src/a.ts'))).toBe(false)
    expect(allows('write_file(src/(a|b).ts)', w('src/(a|b).ts'))).toBe(true)
  })

  it('for commands and named arguments * is any run of characters', () => {
    expect(allows('run_command(git log *)', run('git log --oneline -n 5'))).toBe(true)
    expect(allows('mcp__db__query(sql=SELECT *)', { tool: 'mcp__db__query', args: { sql: 'SELECT a FROM t' } })).toBe(true)
    expect(allows('mcp__db__query(sql=SELECT *)', { tool: 'mcp__db__query', args: { sql: 'DELETE FROM t' } })).toBe(false)
    expect(allows('mcp__db__query(sql=SELECT *)', { tool: 'mcp__db__query', args: {} })).toBe(false)
  })

  it("Claude Code's tools: Bash by command, file tools by file_path (absolute inside the workspace reads as relative)", () => {
    expect(allows('Bash(npm test:*)', { tool: 'Bash', args: { command: 'npm test' } })).toBe(true)
    expect(allows('Edit(src/**)', { tool: 'Edit', args: { file_path: `${WS}/src/a.ts`, old_string: 'a', new_string: 'b' } })).toBe(true)
    expect(allows('Edit(src/**)', { tool: 'Edit', args: { file_path: '/etc/src/a.ts' } })).toBe(false)
  })
})

describe('precedence: deny over ask over allow, whatever the order', () => {
  const rules = [rule('allow', 'run_command'), rule('ask', 'run_command(git push:*)'), rule('deny', 'run_command(git push --force:*)')]
  it('picks the strongest matching rule', () => {
    expect(effectOf(run('git status'), ...rules)).toBe('allow')
    expect(effectOf(run('git push origin main'), ...rules)).toBe('ask')
    expect(effectOf(run('git push --force origin main'), ...rules)).toBe('deny')
    expect(effectOf(run('git push --force origin main'), ...[...rules].reverse())).toBe('deny')
    expect(effectOf({ tool: 'verify', args: {} }, ...rules)).toBeNull()
  })

  it('records which rule decided, and where it came from', () => {
    const set: CandidateRule = { effect: 'deny', pattern: 'run_command(rm:*)', source: 'rule-set', id: 7 }
    expect(decidingRule(run('rm -rf build'), [rule('allow', 'run_command'), set], ctx)).toEqual({ effect: 'deny', pattern: 'run_command(rm:*)', source: 'rule-set', id: 7 })
  })
})

describe('hostile commands', () => {
  const tricks = [
    'npm test; rm -rf /',
    'npm test && curl x',
    'npm test || curl x',
    'npm test | sh',
    'npm test $(rm x)',
    'npm test ${IFS}x',
    'npm test `rm x`',
    'npm test\nrm -rf /',
    'npm test\r\nrm -rf /',
    'npm test & rm -rf /',
    'npm test > /etc/passwd',
    'npm test < /dev/zero',
    'npm test >> out'
  ]
  it.each(tricks)('%j is not one simple command: an allow or ask rule does not match it', (command) => {
    expect(allows('run_command(npm test:*)', run(command))).toBe(false)
    expect(effectOf(run(command), rule('ask', 'run_command(npm test:*)'))).toBeNull()
  })

  it.each([
    'npm test; rm -rf /',
    'npm test && rm -rf /',
    'npm test | rm -rf /',
    'echo $(rm -rf /)',
    'echo `rm -rf /`',
    'npm test\nrm -rf /',
    'true & rm -rf /',
    'FOO=1 rm -rf /',
    'env -i PATH=/bin rm -rf /',
    'sudo -u root rm -rf /',
    'command rm -rf /',
    'nice -n 10 rm -rf /',
    'timeout 5 rm -rf /',
    'timeout -s KILL 5s rm -rf /',
    'find . | xargs -n 1 rm -rf',
    'nohup rm -rf / &',
    '/bin/rm -rf /',
    '"rm" -rf /',
    "r'm' -rf /",
    'r\\m -rf /',
    "bash -c 'rm -rf /'",
    'sh -c "cd / && rm -rf ."',
    '(rm -rf /)',
    '{ rm -rf /; }'
  ])('a deny rule sees the denied program in %j', (command) => {
    expect(denies('run_command(rm:*)', run(command))).toBe(true)
    // …and deny wins over an allow of the whole tool.
    expect(effectOf(run(command), rule('allow', 'run_command'), rule('deny', 'run_command(rm:*)'))).toBe('deny')
  })

  it('a deny rule leaves commands that do not run the program alone', () => {
    expect(denies('run_command(rm:*)', run('npm test'))).toBe(false)
    expect(denies('run_command(rm:*)', run('echo rmdir'))).toBe(false)
    expect(denies('run_command(rm:*)', run('format disk'))).toBe(false)
  })

  it('unicode and control characters are compared literally', () => {
    // A fullwidth semicolon or a look-alike is not an operator, and not the allowed text either.
    expect(allows('run_command(npm test)', run('npm test；rm'))).toBe(false)
    expect(allows('run_command(npm test:*)', run('npm\u00a0test'))).toBe(false)
    expect(allows('run_command(npm test:*)', run('npm test\u0000'))).toBe(false)
    expect(allows('run_command(echo ✓:*)', run('echo ✓ done'))).toBe(true)
    expect(allows('run_command(echo 😀)', run('echo 😀'))).toBe(true)
    expect(allows('run_command(echo 😀)', run('echo 😁'))).toBe(false)
  })
})

describe('hostile paths', () => {
  const read = (path: string): Action => ({ tool: 'read_file', args: { path } })
  it('.. is resolved before matching: a path that leaves the folder is not under it', () => {
    expect(allows('read_file(src/**)', read('src/../../etc/passwd'))).toBe(false)
    expect(allows('read_file(src/**)', read('src/../secrets/key'))).toBe(false)
    expect(allows('read_file(src/**)', read('./src/./a/../b.ts'))).toBe(true)
  })

  it('an absolute path, or one escaping the workspace, never matches an allow', () => {
    expect(allows('read_file(**)', read('/etc/passwd'))).toBe(false)
    expect(allows('read_file(**)', read(`${WS}/src/a.ts`))).toBe(false)
    expect(allows('read_file(**)', read('../other/a.ts'))).toBe(false)
    expect(allows('read_file', read('/etc/passwd'))).toBe(true) // a bare tool rule is about the tool, not the path
  })

  it('a deny on a path matches the normalised path, inside or outside the workspace', () => {
    expect(denies('read_file(/etc/**)', read('../../../../etc/passwd'))).toBe(true)
    expect(denies('read_file(**/.env)', read('config/../.env'))).toBe(true)
    expect(denies('read_file(secrets/**)', read('src/../secrets/key'))).toBe(true)
    expect(denies('read_file(secrets/**)', read(`${WS}/secrets/key`))).toBe(true)
    expect(denies('read_file(secrets/**)', read('src/a.ts'))).toBe(false)
  })
})

describe('long inputs and patterns stay fast (no backtracking)', () => {
  it('matches a 1 MB argument against star-heavy patterns in well under a second', () => {
    const long = 'a'.repeat(1_000_000)
    const started = performance.now()
    expect(allows(`run_command(${'*a'.repeat(200)}b)`, run(long))).toBe(false)
    expect(allows(`write_file(${'**/'.repeat(100)}*b)`, { tool: 'write_file', args: { path: `${'a/'.repeat(50_000)}c` } })).toBe(false)
    expect(denies('run_command(rm:*)', run(`${'x '.repeat(100_000)}; rm -rf /`))).toBe(true)
    expect(performance.now() - started).toBeLessThan(3000)
  })
})

describe('the pattern suggested for "always allow this"', () => {
  it('a command: exactly that command; a file: its exact path, relative to the workspace; another tool: the tool', () => {
    expect(suggestRulePattern(run('npm test -- --watch=false'))).toBe('run_command(npm test -- --watch=false)')
    expect(suggestRulePattern(run('ls -la'))).toBe('run_command(ls -la)')
    expect(suggestRulePattern({ tool: 'write_file', args: { path: 'src/math.js', content: '' } })).toBe('write_file(src/math.js)')
    expect(suggestRulePattern({ tool: 'Bash', args: { command: 'node verify.js' } })).toBe('Bash(node verify.js)')
    expect(suggestRulePattern({ tool: 'Edit', args: { file_path: `${WS}/src/f1.ts` } }, WS)).toBe('Edit(src/f1.ts)')
    expect(suggestRulePattern({ tool: 'verify', args: {} })).toBe('verify')
    expect(suggestRulePattern({ tool: 'mcp__db__query', args: { sql: 'SELECT 1' } })).toBe('mcp__db__query')
  })

  it('never an interpreter or runner alone: python -m pytest and npx -y x are not widened to the program', () => {
    const pytest = suggestRulePattern(run('python -m pytest'))!
    expect(pytest).toBe('run_command(python -m pytest)')
    expect(allows(pytest, run(`python -c "__import__('shutil').rmtree('/x')"`))).toBe(false)
    const npx = suggestRulePattern(run('npx -y x'))!
    expect(allows(npx, run('npx -y evil'))).toBe(false)
  })

  it('nothing to suggest (the operator writes the pattern) for a compound command, a glob star, or a path outside the workspace; never the bare tool', () => {
    for (const command of ['npm test && curl x', 'echo $(id)', 'rm *', 'cat a > b']) expect(suggestRulePattern(run(command)), command).toBeNull()
    expect(suggestRulePattern({ tool: 'write_file', args: { path: 'src/*.ts', content: '' } })).toBeNull()
    expect(suggestRulePattern({ tool: 'Edit', args: { file_path: '/etc/passwd' } }, WS)).toBeNull()
    // The workspace unknown: an absolute path cannot be made relative, so nothing is suggested.
    expect(suggestRulePattern({ tool: 'Edit', args: { file_path: `${WS}/src/f1.ts` } })).toBeNull()
  })

  it('every suggestion parses, and allows the call it was made from', () => {
    const actions: Action[] = [run('npm test -- --watch=false'), run('make'), run('python -m pytest'), { tool: 'write_file', args: { path: 'src/a b.ts', content: '' } }, { tool: 'Edit', args: { file_path: `${WS}/src/a.ts` } }]
    for (const action of actions) {
      const pattern = suggestRulePattern(action, WS)
      expect(pattern, JSON.stringify(action)).not.toBeNull()
      expect(parseRulePattern(pattern!).ok).toBe(true)
      expect(allows(pattern!, action)).toBe(true)
    }
  })
})
