/**
 * The file tools and the workspace copy keep a loop inside its workspace against hostile
 * fixtures: dangling symlinks, FIFOs, huge sparse files, and templates whose links lead out.
 */
import { execFileSync } from 'node:child_process'
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createWorkspace } from '../../src/main/core/supervisor/workspace'
import { readFileTool, replaceInFileTool, writeFileTool } from '../../src/main/core/tools/files'
import { runCommandTool } from '../../src/main/core/tools/shell'
import { tempDirsPerTest } from '../support/temp-per-test'
import { toolContext } from '../support/tool-context'

const MAX_READ = 1024 * 1024
const fresh = tempDirsPerTest()

const ctx = toolContext

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const start = Date.now()
  const result = await work
  return { result, ms: Date.now() - start }
}

describe('file tools', () => {
  it('write_file and replace_in_file refuse a dangling symlink that leads out, and create nothing there', async () => {
    const ws = fresh('andon-ws-')
    const outside = fresh('andon-outside-')
    symlinkSync(join(outside, 'planted.txt'), join(ws, 'notes.txt'))
    symlinkSync('../../../../../../../../..' + join(outside, 'relative.txt'), join(ws, 'rel-notes.txt'))
    mkdirSync(join(ws, 'sub'))
    symlinkSync(join(outside, 'dir-that-is-not-there'), join(ws, 'sub', 'away'))
    for (const path of ['notes.txt', 'rel-notes.txt', 'sub/away/file.txt']) {
      const r = await writeFileTool.run({ path, content: 'owned' }, ctx(ws))
      expect(r).toMatchObject({ ok: false, summary: expect.stringMatching(/leads outside the workspace/) })
    }
    const r = await replaceInFileTool.run({ path: 'notes.txt', find: 'a', replace: 'b' }, ctx(ws))
    expect(r).toMatchObject({ ok: false, summary: expect.stringMatching(/leads outside the workspace/) })
    expect(readdirSync(outside)).toEqual([])
  })

  it.runIf(process.platform !== 'win32')('read_file and replace_in_file refuse a FIFO at once instead of blocking on it', async () => {
    const ws = fresh('andon-ws-')
    execFileSync('mkfifo', [join(ws, 'pipe')])
    const read = await timed(readFileTool.run({ path: 'pipe' }, ctx(ws)))
    const replace = await timed(replaceInFileTool.run({ path: 'pipe', find: 'a', replace: 'b' }, ctx(ws)))
    for (const { result, ms } of [read, replace]) {
      expect(result).toMatchObject({ ok: false, summary: 'pipe is a FIFO; only regular files are read or written' })
      expect(ms).toBeLessThan(1000)
    }
  }, 5000)

  it('read_file of a 3 GB (sparse) file returns its first MAX_READ bytes quickly; replace_in_file refuses to load it', async () => {
    const ws = fresh('andon-ws-')
    const big = join(ws, 'big.log')
    writeFileSync(big, 'first line of a huge log\n')
    truncateSync(big, 3 * 1024 ** 3)
    const emitted: string[] = []
    const { result, ms } = await timed(readFileTool.run({ path: 'big.log' }, ctx(ws, emitted)))
    expect(result).toMatchObject({ ok: true, outputBytes: 3 * 1024 ** 3, truncated: true, summary: `read big.log (first ${MAX_READ} of ${3 * 1024 ** 3} bytes)` })
    const text = emitted.join('')
    expect(text.startsWith('first line of a huge log\n')).toBe(true)
    expect(text.length).toBe(MAX_READ)
    expect(ms).toBeLessThan(2000)
    const replace = await timed(replaceInFileTool.run({ path: 'big.log', find: 'first', replace: 'last' }, ctx(ws)))
    expect(replace.result).toMatchObject({ ok: false, summary: expect.stringMatching(/more than replace_in_file edits/) })
    expect(replace.ms).toBeLessThan(2000)
  }, 10_000)
})

describe('the workspace copy of a template', () => {
  it('keeps relative links relative, drops links that lead out, and a command writing through a link leaves the template alone', async () => {
    const template = fresh('andon-template-')
    const elsewhere = fresh('andon-elsewhere-')
    mkdirSync(join(template, 'data'))
    writeFileSync(join(template, 'data', 'v1.txt'), 'template text\n')
    writeFileSync(join(elsewhere, 'secret.txt'), 'not for loops\n')
    symlinkSync('data/v1.txt', join(template, 'current'))
    symlinkSync(join(template, 'data', 'v1.txt'), join(template, 'into-template'))
    symlinkSync(join(elsewhere, 'secret.txt'), join(template, 'data', 'elsewhere'))
    const ws = join(fresh('andon-data-'), 'workspaces', 'loop-1')

    const dropped = await createWorkspace(ws, template)

    expect(readlinkSync(join(ws, 'current'))).toBe('data/v1.txt')
    expect(dropped.sort()).toEqual([`data/elsewhere → ${join(elsewhere, 'secret.txt')}`, `into-template → ${join(template, 'data', 'v1.txt')}`])
    expect(lstatExists(join(ws, 'into-template'))).toBe(false)
    expect(lstatExists(join(ws, 'data', 'elsewhere'))).toBe(false)

    const r = await runCommandTool.run({ command: 'echo changed > current', timeoutMs: 20_000 }, ctx(ws))
    expect(r).toMatchObject({ ok: true, exitCode: 0 })
    expect(readFileSync(join(ws, 'data', 'v1.txt'), 'utf8')).toBe('changed\n')
    expect(readFileSync(join(template, 'data', 'v1.txt'), 'utf8')).toBe('template text\n')
  })
})

function lstatExists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}
