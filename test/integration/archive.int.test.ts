/**
 * A loop whose recorded data is damaged (written by a hostile bundle before imports were checked,
 * or by a damaged disk) is listed as damaged, never breaks the list or `andon ls`, and can be
 * archived: it leaves the lists and the inbox, recorded with who and why, its events kept.
 */
import { describe, expect, it } from 'vitest'
import { LoopArchive } from '../../src/main/core/store/archive'
import { andon as cli } from '../fixtures/bundles/cli'
import { spec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

const rules = { kind: 'rules' as const, rules: [{ name: 'stop', when: { start: true }, then: { tool: 'verify' } }] }

async function withDamagedLoop() {
  const andon = await tempAndon()
  const good = await andon.supervisor.launch(spec({ name: 'good-one', policy: rules, termination: { verifyCommand: 'false' }, invariants: { maxIterations: 1 } }))
  await andon.supervisor.settled(good)
  // A row as a hostile bundle could leave it: valid JSON, wrong types everywhere.
  await andon.store.append('hostile', [{ type: 'LoopCreated', data: { spec: spec({ name: 'hostile', policy: rules }), specPath: null, workspace: null, readOnly: true } }], 0)
  andon.store.flush()
  andon.store.db
    .prepare('UPDATE loops SET summary = ? WHERE loop_id = ?')
    .run(JSON.stringify({ loopId: 'hostile', name: { html: '<img>' }, status: 'running', iteration: 'many', costUsd: 'free', createdAt: 1 }), 'hostile')
  return { andon, good }
}

describe('damaged and archived loops', () => {
  it('a damaged row is listed as damaged with the reason; the others are untouched', async () => {
    const { andon, good } = await withDamagedLoop()
    try {
      const list = await andon.handlers.listLoops({})
      const hostile = list.find((l) => l.loopId === 'hostile')!
      expect(hostile).toMatchObject({ name: 'hostile', damaged: expect.stringMatching(/^name: /), readOnly: true, costUsd: 0 })
      expect(list.find((l) => l.loopId === good)).toMatchObject({ name: 'good-one', status: 'terminated' })
      expect(list.find((l) => l.loopId === good)).not.toHaveProperty('damaged')
    } finally {
      await andon.cleanup()
    }
  })

  it('archiving takes a loop out of the list and the inbox, records who and why, and can be undone; a running loop is refused', async () => {
    const andon = await tempAndon()
    try {
      const waiting = await andon.supervisor.launch(spec({ name: 'waits', policy: rules, autonomy: 'approve-every-action' }))
      await andon.supervisor.settled(waiting)
      expect((await andon.handlers.listInbox({})).map((i) => i.loopId)).toEqual([waiting])
      expect(await andon.handlers.archiveLoop({ loopId: waiting, archived: true, why: 'noise' })).toEqual({ loopId: waiting, archived: true })
      expect((await andon.handlers.listLoops({})).map((l) => l.loopId)).toEqual([])
      expect(await andon.handlers.listInbox({})).toEqual([])
      expect((await andon.handlers.listLoops({ archived: true })).map((l) => [l.loopId, l.archived])).toEqual([[waiting, true]])
      expect(andon.store.settings.history(`archived:${waiting}`)).toEqual([expect.objectContaining({ value: true, by: 'operator', why: 'noise' })])
      // Its events are kept.
      expect(andon.store.readStream(waiting).length).toBeGreaterThan(2)
      await andon.handlers.archiveLoop({ loopId: waiting, archived: false, why: '' })
      expect((await andon.handlers.listLoops({})).map((l) => l.loopId)).toEqual([waiting])

      const slow = await andon.supervisor.launch(spec({ name: 'slow', policy: { ...rules, delayMs: 5_000 } }))
      await expect(andon.handlers.archiveLoop({ loopId: slow, archived: true, why: '' })).rejects.toThrow(/is running: pause or cancel it/)
      await andon.supervisor.cancel(slow)
      await expect(andon.handlers.archiveLoop({ loopId: 'no-such-loop', archived: true, why: '' })).rejects.toThrow(/no loop/)
    } finally {
      await andon.cleanup()
    }
  })

  it('`andon ls` shows a damaged loop as damaged instead of crashing, and `andon archive` takes it out', { timeout: 60_000 }, async () => {
    const { andon, good } = await withDamagedLoop()
    const dataDir = andon.dataDir
    await andon.close()
    try {
      const before = await cli(['ls', '--data-dir', dataDir])
      expect(before.code).toBe(0)
      expect(before.stdout).toMatch(/hostile\s+hostile\s+damaged \(name: /)
      expect(before.stdout).toMatch(new RegExp(`${good}\\s+good-one\\s+terminated`))
      const archived = await cli(['archive', 'hostile', '--why', 'came from a bad bundle', '--data-dir', dataDir])
      expect(archived).toMatchObject({ code: 0, stderr: expect.stringMatching(/archived: hostile/) })
      const after = await cli(['ls', '--data-dir', dataDir, '--json'])
      expect((JSON.parse(after.stdout) as { loopId: string }[]).map((l) => l.loopId)).toEqual([good])
      const listed = await cli(['ls', '--archived', '--data-dir', dataDir, '--json'])
      expect((JSON.parse(listed.stdout) as { loopId: string }[]).map((l) => l.loopId)).toEqual(['hostile'])
      const store = await tempAndon({ dataDir })
      expect(new LoopArchive(store.store.db).archivedIds()).toEqual(new Set(['hostile']))
      await store.close()
    } finally {
      await andon.cleanup()
    }
  })
})
