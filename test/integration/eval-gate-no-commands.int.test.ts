/**
 * `andon eval --no-commands` through the real binary: a spec that could start any program is
 * refused before a single run (exit 3, each reason at its field), so a gate run inside another
 * loop's sandbox cannot be used to run a candidate's commands there; a command-free pair runs.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { andon, root } from '../fixtures/bundles/cli'

const template = join(root, 'resources/examples/workspaces/improve-a-loop')
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'andon-no-commands-'))
  for (const f of ['baseline.yaml', 'suite.yaml']) copyFileSync(join(template, f), join(dir, f))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('andon eval --no-commands', { timeout: 120_000 }, () => {
  it('refuses a candidate that could start a command before anything runs, naming each field', async () => {
    const marker = join(dir, 'ran')
    const candidate = readFileSync(join(dir, 'baseline.yaml'), 'utf8')
      .replace('version: v1', 'version: v2')
      .replace('  rules:\n', '  rules:\n    - name: first\n      when: { start: true }\n      then: { tool: touch, args: {} }\n')
      .replace('  - name: replace_in_file\n', `  - name: replace_in_file\n  - name: touch\n    command: touch\n    args: ['${marker}']\n`)
      .concat('sandbox:\n  allowUnsandboxed: true\n')
    writeFileSync(join(dir, 'commands.yaml'), candidate)
    const data = join(dir, 'refused')
    const r = await andon(['eval', '--candidate', 'commands.yaml', 'suite.yaml', '--no-commands', '--data-dir', data], { cwd: dir })
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toMatch(/commands\.yaml could start programs, which --no-commands refuses/)
    expect(r.stderr).toMatch(/^ {2}tools\[2\]\.command: /m)
    expect(r.stderr).toMatch(/^ {2}sandbox\.allowUnsandboxed: /m)
    expect(r.stdout).toBe('')
    expect(existsSync(marker)).toBe(false)
    expect(JSON.parse((await andon(['ls', '--archived', '--json', '--data-dir', data])).stdout)).toEqual([])
  })

  it('refuses the baseline too: the option is about every spec the gate runs', async () => {
    writeFileSync(join(dir, 'process.yaml'), readFileSync(join(dir, 'baseline.yaml'), 'utf8').replace(/ {2}kind: rules\n[\s\S]*?\ntools:/, '  kind: process\n  command: node\ntools:'))
    const r = await andon(['eval', '--baseline', 'process.yaml', '--candidate', 'baseline.yaml', 'suite.yaml', '--no-commands', '--data-dir', join(dir, 'process')], { cwd: dir })
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toMatch(/process\.yaml could start programs[\s\S]*policy\.kind: /)
  })

  it('runs two command-free specs as usual', async () => {
    const r = await andon(['eval', '--candidate', 'baseline.yaml', 'suite.yaml', '--no-commands', '--repeat', '1', '--quiet', '--data-dir', join(dir, 'free')], { cwd: dir })
    expect(r.stdout).toMatch(/^verdict: NO DIFFERENCE/m)
    expect(r.code, r.stderr).toBe(0)
  })
})
