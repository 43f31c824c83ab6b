/**
 * How the control room words a tool call: the one-line summary a timeline row shows and the
 * detail (command, line diff, file content) the approval card and iteration pane draw.
 */
import { describe, expect, it } from 'vitest'
import { describeAction } from '../../src/renderer/src/lib/action-detail'
import { relPath, summarizeAction } from '../../src/renderer/src/lib/actions'
import { diffText } from '../../src/renderer/src/lib/diff'

const ws = '/home/op/loops/l1/workspace'
const sum = (tool: string, args: Record<string, unknown>) => summarizeAction({ tool, args }, ws)
/** Diff lines as a reader sees them: the marker, a space, the text. */
const shown = (lines: { op: string; text: string }[]) => lines.map((l) => `${l.op} ${l.text}`)

describe('one-line summaries of Claude Code calls', () => {
  it('names the command, the file relative to the workspace, the search', () => {
    expect(sum('Bash', { command: 'npm test', description: 'Run the tests' })).toBe('Bash: npm test')
    expect(sum('Bash', { command: 'npm run dev', run_in_background: true })).toBe('Bash: npm run dev (background)')
    expect(sum('Bash', { command: 'cd src\nnpm test' })).toBe('Bash: cd src …')
    expect(sum('Edit', { file_path: `${ws}/math.js`, old_string: 'return a - b', new_string: 'return a + b' })).toBe('Edit math.js: "return a - b" → "return a + b"')
    expect(sum('Edit', { file_path: `${ws}/math.js`, old_string: 'a\nb', new_string: 'a\nc\nd' })).toBe('Edit math.js (−2 +3 lines)')
    expect(sum('MultiEdit', { file_path: `${ws}/src/a.ts`, edits: [{ old_string: 'x', new_string: 'y' }, { old_string: 'p', new_string: 'q' }] })).toBe('MultiEdit src/a.ts (2 edits)')
    const twelve = Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n') + '\n'
    expect(sum('Write', { file_path: `${ws}/src/new.ts`, content: twelve })).toBe('Write src/new.ts (12 lines)')
    expect(sum('Read', { file_path: `${ws}/math.js` })).toBe('Read math.js')
    expect(sum('Read', { file_path: `${ws}/math.js`, offset: 10, limit: 50 })).toBe('Read math.js (lines 10–59)')
    expect(sum('Grep', { pattern: 'TODO', path: `${ws}/src` })).toBe('Grep "TODO" in src')
    expect(sum('Grep', { pattern: 'TODO', glob: '*.ts' })).toBe('Grep "TODO" (*.ts)')
    expect(sum('Glob', { pattern: '**/*.test.js' })).toBe('Glob **/*.test.js')
    expect(sum('WebFetch', { url: 'https://example.com/docs', prompt: 'summarize' })).toBe('WebFetch https://example.com/docs')
    expect(sum('Task', { description: 'Find the add function', prompt: '…', subagent_type: 'Explore' })).toBe('Task: Find the add function (Explore)')
  })

  it('says how far the todo list is and what is being done now', () => {
    const todos = [
      { content: 'Read the failing test', status: 'completed', activeForm: 'Reading the failing test' },
      { content: 'Find the bug', status: 'completed', activeForm: 'Finding the bug' },
      { content: 'Fix the add function', status: 'in_progress', activeForm: 'Fixing the add function' },
      { content: 'Run the tests', status: 'pending', activeForm: 'Running the tests' },
      { content: 'Commit', status: 'pending', activeForm: 'Committing' }
    ]
    expect(sum('TodoWrite', { todos })).toBe('TodoWrite: 2/5 done, now: "Fixing the add function"')
    expect(sum('TodoWrite', { todos: todos.slice(0, 2) })).toBe('TodoWrite: 2/2 done')
  })

  it('keeps a path outside the workspace absolute, so it stands out', () => {
    expect(sum('Edit', { file_path: '/etc/hosts', old_string: 'a', new_string: 'b' })).toBe('Edit /etc/hosts: "a" → "b"')
    expect(relPath(`${ws}-other/x`, ws)).toBe(`${ws}-other/x`)
    expect(relPath(`${ws}/x`, `${ws}/`)).toBe('x')
    expect(summarizeAction({ tool: 'Read', args: { file_path: `${ws}/x` } }, null)).toBe(`Read ${ws}/x`)
  })

  it('falls back to the name and compact JSON for MCP tools and malformed input', () => {
    expect(sum('mcp__github__create_issue', { title: 'Flaky test', labels: ['ci'] })).toBe('mcp__github__create_issue {"title":"Flaky test","labels":["ci"]}')
    expect(sum('Bash', { cmd: 'ls' })).toBe('Bash {"cmd":"ls"}')
    expect(sum('ExitPlanMode', {})).toBe('ExitPlanMode')
    expect(summarizeAction(null)).toBe('—')
  })
})

describe("one-line summaries of Andon's own tools", () => {
  it('shows the command, the file and the change', () => {
    expect(sum('verify', {})).toBe('verify')
    expect(sum('run_command', { command: 'npm test' })).toBe('run_command: npm test')
    expect(sum('replace_in_file', { path: 'math.js', find: 'a - b', replace: 'b + a' })).toBe('replace_in_file math.js: "a - b" → "b + a"')
    expect(sum('write_file', { path: 'notes.txt', content: 'one line' })).toBe('write_file notes.txt (1 line)')
    expect(sum('read_file', { path: 'math.js' })).toBe('read_file math.js')
    expect(sum('github_comment', { number: 12, body: 'done' })).toBe('github_comment #12')
    expect(sum('github_open_pr', { head: 'fix-add', title: 'Fix add', repo: 'acme/calc' })).toBe('github_open_pr fix-add → default branch "Fix add" in acme/calc')
  })
})

describe('the detail of a call', () => {
  it('shows an edit as the lines it removes and adds, the unchanged ones as context', () => {
    const d = describeAction({ tool: 'Edit', args: { file_path: `${ws}/math.js`, old_string: 'function add(a, b) {\n  return a - b\n}', new_string: 'function add(a, b) {\n  return a + b\n}' } }, ws)
    expect(d).toMatchObject({ kind: 'edit', file: 'math.js' })
    if (d.kind !== 'edit') throw new Error('not an edit')
    expect(shown(d.edits[0].lines)).toEqual(['  function add(a, b) {', '-   return a - b', '+   return a + b', '  }'])
  })

  it('diffs each edit of a MultiEdit and says which replace every occurrence', () => {
    const d = describeAction({ tool: 'MultiEdit', args: { file_path: `${ws}/a.ts`, edits: [{ old_string: 'x', new_string: 'y' }, { old_string: 'p', new_string: 'q', replace_all: true }] } }, ws)
    if (d.kind !== 'edit') throw new Error('not an edit')
    expect(d.edits.map((e) => [shown(e.lines), e.note])).toEqual([
      [['- x', '+ y'], ''],
      [['- p', '+ q'], 'every occurrence']
    ])
  })

  it("shows replace_in_file's find → replace as a diff of its first occurrence", () => {
    const d = describeAction({ tool: 'replace_in_file', args: { path: 'math.js', find: 'a - b', replace: 'b + a' } }, ws)
    expect(d).toEqual({ kind: 'edit', file: 'math.js', edits: [{ lines: [{ op: '-', text: 'a - b' }, { op: '+', text: 'b + a' }], note: 'first occurrence' }] })
  })

  it('shows a command with its description and options, a write with its content', () => {
    expect(describeAction({ tool: 'Bash', args: { command: 'npm test', description: 'Run the tests', timeout: 60000 } })).toEqual({
      kind: 'command',
      command: 'npm test',
      description: 'Run the tests',
      notes: ['times out after 60s']
    })
    expect(describeAction({ tool: 'Write', args: { file_path: `${ws}/src/new.ts`, content: 'export {}\n' } }, ws)).toEqual({ kind: 'write', file: 'src/new.ts', content: 'export {}\n', lines: 1 })
  })

  it('shows anything else, or a call whose input does not fit its tool, as JSON', () => {
    expect(describeAction({ tool: 'mcp__db__query', args: { sql: 'select 1' } })).toEqual({ kind: 'json', args: { sql: 'select 1' } })
    expect(describeAction({ tool: 'Edit', args: { file_path: 'x' } })).toEqual({ kind: 'json', args: { file_path: 'x' } })
  })
})

describe('line diff', () => {
  it('keeps common lines in place and marks the changed ones in order', () => {
    expect(shown(diffText('a\nb\nc\nd', 'a\nB\nc\nd\ne'))).toEqual(['  a', '- b', '+ B', '  c', '  d', '+ e'])
    expect(shown(diffText('', 'new'))).toEqual(['+ new'])
    expect(shown(diffText('old', ''))).toEqual(['- old'])
    expect(shown(diffText('a\n', 'b\n'))).toEqual(['- a', '+ b'])
  })

  it('finds a moved-around middle by longest common subsequence', () => {
    expect(shown(diffText('head\nx\ny\nz\ntail', 'head\ny\nx\nz\ntail'))).toEqual(['  head', '- x', '  y', '+ x', '  z', '  tail'])
  })
})
