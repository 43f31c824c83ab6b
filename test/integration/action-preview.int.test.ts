/**
 * The approval card's diff preview: what write_file and replace_in_file would change, read by the
 * core with the file tools' confinement (symlinks leading out, FIFOs, huge and non-UTF-8 files are
 * reported, never read), and through the contract for a loop waiting at the gate.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_DIFF_CHANGED_LINES, MAX_PREVIEW_BYTES, previewFileEdit } from '../../src/main/core/tools/file-preview'
import { contract } from '../../src/shared/contract'
import type { PendingCall } from '../../src/shared/state'
import { exampleSpec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'
import { tempDirsPerTest } from '../support/temp-per-test'

const fresh = tempDirsPerTest()
const replace = (path: string, find: string, by: string) => ({ tool: 'replace_in_file', args: { path, find, replace: by } })

describe('previewFileEdit', () => {
  it('shows a replace as a unified diff hunk with the exact removed and added lines and their context', async () => {
    const ws = fresh('andon-ws-')
    writeFileSync(join(ws, 'math.js'), '// two bugs\nexports.add = (a, b) => a - b\nexports.mul = (a, b) => a + b\n')
    const p = await previewFileEdit(ws, replace('math.js', 'a - b', 'a + b'))
    expect(p).toEqual({
      kind: 'diff',
      path: 'math.js',
      created: false,
      added: 1,
      removed: 1,
      hunks: [
        {
          oldStart: 1,
          oldLines: 3,
          newStart: 1,
          newLines: 3,
          lines: [' // two bugs', '-exports.add = (a, b) => a - b', '+exports.add = (a, b) => a + b', ' exports.mul = (a, b) => a + b']
        }
      ]
    })
  })

  it('says a replace whose text is absent would fail, instead of showing an empty diff', async () => {
    const ws = fresh('andon-ws-')
    writeFileSync(join(ws, 'math.js'), 'exports.add = (a, b) => a + b\n')
    expect(await previewFileEdit(ws, replace('math.js', 'a - b', 'a + b'))).toEqual({
      kind: 'would-fail',
      path: 'math.js',
      message: 'the text to find is not in math.js: the call would fail and change nothing'
    })
    expect(await previewFileEdit(ws, replace('gone.js', 'x', 'y'))).toMatchObject({ kind: 'would-fail', message: 'gone.js does not exist: the call would fail and change nothing' })
  })

  it('shows a new file as all added lines, and an overwrite with the same content as unchanged', async () => {
    const ws = fresh('andon-ws-')
    const created = await previewFileEdit(ws, { tool: 'write_file', args: { path: 'notes/todo.txt', content: 'one\ntwo\n' } })
    expect(created).toMatchObject({ kind: 'diff', created: true, added: 2, removed: 0 })
    expect(created.kind === 'diff' && created.hunks[0].lines).toEqual(['+one', '+two'])
    writeFileSync(join(ws, 'same.txt'), 'same\n')
    expect(await previewFileEdit(ws, { tool: 'write_file', args: { path: 'same.txt', content: 'same\n' } })).toMatchObject({ kind: 'unchanged' })
    expect(readdirSync(ws)).toEqual(['same.txt'])
  })

  it('refuses a symlink that leads out of the workspace and reads nothing there', async () => {
    const ws = fresh('andon-ws-')
    const outside = fresh('andon-outside-')
    writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET\n')
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'notes.txt'))
    mkdirSync(join(ws, 'sub'))
    symlinkSync(outside, join(ws, 'sub', 'away'))
    for (const action of [
      replace('notes.txt', 'TOP', 'x'),
      { tool: 'write_file', args: { path: 'notes.txt', content: 'x' } },
      { tool: 'write_file', args: { path: 'sub/away/secret.txt', content: 'x' } },
      replace('../outside.txt', 'a', 'b'),
      replace('/etc/passwd', 'root', 'x')
    ]) {
      const p = await previewFileEdit(ws, action)
      expect(p.kind, JSON.stringify(action)).toBe('unavailable')
      expect(JSON.stringify(p)).not.toContain('TOP SECRET')
      expect(p.kind === 'unavailable' && p.message).toMatch(/outside the workspace|relative to the workspace/)
    }
  })

  it.runIf(process.platform !== 'win32')('reports a FIFO, a directory, a huge file and non-UTF-8 bytes instead of reading them', async () => {
    const ws = fresh('andon-ws-')
    execFileSync('mkfifo', [join(ws, 'pipe')])
    mkdirSync(join(ws, 'dir'))
    writeFileSync(join(ws, 'big.log'), 'x')
    truncateSync(join(ws, 'big.log'), 3 * 1024 ** 3)
    writeFileSync(join(ws, 'image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x80]))
    expect(await previewFileEdit(ws, replace('pipe', 'a', 'b'))).toMatchObject({ kind: 'unavailable', message: 'pipe is a FIFO; only regular files are read or written' })
    expect(await previewFileEdit(ws, replace('dir', 'a', 'b'))).toMatchObject({ kind: 'unavailable', message: 'dir is a directory; only regular files are read or written' })
    expect(await previewFileEdit(ws, replace('big.log', 'a', 'b'))).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/^big.log is 3221225472 bytes, more than a preview shows/) })
    expect(await previewFileEdit(ws, { tool: 'write_file', args: { path: 'image.bin', content: 'text' } })).toMatchObject({
      kind: 'unavailable',
      message: 'image.bin is not UTF-8 text (8 bytes): no line diff to show'
    })
  })

  it('says a rewrite too big or too different to diff quickly is not shown, instead of diffing it', async () => {
    const ws = fresh('andon-ws-')
    const big = 'y'.repeat(MAX_PREVIEW_BYTES + 1)
    expect(await previewFileEdit(ws, { tool: 'write_file', args: { path: 'new.txt', content: big } })).toEqual({
      kind: 'unavailable',
      path: 'new.txt',
      message: `new.txt would be ${MAX_PREVIEW_BYTES + 1} bytes, more than a preview shows (${MAX_PREVIEW_BYTES})`
    })
    const lines = (mark: string) => Array.from({ length: MAX_DIFF_CHANGED_LINES }, (_, i) => `${mark} ${i}\n`).join('')
    writeFileSync(join(ws, 'all.txt'), lines('old'))
    expect(await previewFileEdit(ws, { tool: 'write_file', args: { path: 'all.txt', content: lines('new') } })).toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/^too many changes in all.txt to show as a diff \(a preview stops at \d+ changed lines or \d+ ms\)$/)
    })
  })

  it('reports bad args by the tool schema, and has nothing to preview for other tools', async () => {
    const ws = fresh('andon-ws-')
    expect(await previewFileEdit(ws, { tool: 'replace_in_file', args: { path: 'a.js', find: '' } })).toMatchObject({ kind: 'unavailable', path: null, message: expect.stringMatching(/^replace_in_file args: /) })
    expect(await previewFileEdit(ws, { tool: 'verify', args: {} })).toEqual({ kind: 'none' })
  })
})

describe('previewAction through the contract', () => {
  let andon: Awaited<ReturnType<typeof tempAndon>> | undefined
  let other: Awaited<ReturnType<typeof tempAndon>> | undefined
  afterEach(async () => {
    await andon?.cleanup()
    await other?.cleanup()
    andon = other = undefined
  })

  it("previews a gated replace_in_file in the loop's own workspace, follows edited args, and previews nothing else", async () => {
    andon = await tempAndon()
    const { spec, specPath } = exampleSpec('fix-the-tests')
    const loopId = await andon.supervisor.launch({ ...spec, autonomy: 'approve-every-action' }, { specPath })
    const waitingFor = async (tool: string): Promise<PendingCall> => {
      const s = await until(() => {
        const now = andon!.supervisor.liveState(loopId)
        return now.status === 'awaiting-approval' && now.pendingCall?.action.tool === tool ? now : null
      }, 30_000, `${tool} to wait for approval`)
      return s!.pendingCall!
    }
    const verify = await waitingFor('verify')
    await andon.handlers.decideApproval({ loopId, callId: verify.callId, decision: 'approve', reason: '' })
    const pending = await waitingFor('replace_in_file')

    const proposed = await andon.handlers.previewAction({ loopId, action: pending.action })
    expect(proposed.kind === 'diff' && proposed.hunks.flatMap((h) => h.lines.filter((l) => /^[-+]/.test(l)))).toEqual([
      '-exports.add = (a, b) => a - b',
      '+exports.add = (a, b) => a + b'
    ])
    const edited = await andon.handlers.previewAction({ loopId, action: { tool: 'replace_in_file', args: { ...pending.action.args, replace: 'b + a' } } })
    expect(edited.kind === 'diff' && edited.hunks.flatMap((h) => h.lines.filter((l) => l.startsWith('+')))).toEqual(['+exports.add = (a, b) => b + a'])
    await expect(andon.handlers.previewAction({ loopId: 'loop-nope', action: pending.action })).rejects.toThrow(/no loop loop-nope/)
    await expect(andon.handlers.previewAction({ loopId, action: { tool: 'write_file', args: { path: 'math.js', content: '' } } })).rejects.toThrow(
      `loop ${loopId} waits to run replace_in_file, not write_file: only the pending call is previewed`
    )

    // An imported copy names a workspace that came with the bundle: nothing there is read.
    const { bytesBase64 } = await andon.handlers.exportBundle(contract.exportBundle.input.parse({ loopIds: [loopId] }))
    other = await tempAndon()
    await other.handlers.importBundle(contract.importBundle.input.parse({ bytesBase64 }))
    expect(other.supervisor.liveState(loopId)).toMatchObject({ readOnly: true, status: 'awaiting-approval' })
    await expect(other.handlers.previewAction({ loopId, action: pending.action })).rejects.toThrow(`loop ${loopId} was imported and is read-only`)

    await andon.handlers.cancelLoop({ loopId })
    await expect(andon.handlers.previewAction({ loopId, action: pending.action })).rejects.toThrow(
      `loop ${loopId} has no call waiting for approval: only a pending call is previewed`
    )
  }, 60_000)
})
