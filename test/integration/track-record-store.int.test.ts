/**
 * The track record read from a real temp store, over histories appended as the engine records
 * them: paths read against each loop's own workspace, eval runs left out, and a read bounded by
 * the window whatever the length of the spec's history.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RECENT_PROPOSALS_SQL } from '../../src/main/core/track-record/call-events'
import { trackRecord } from '../../src/main/core/track-record/track-record'
import type { LoopEventInput } from '../../src/shared/events'
import { spec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
beforeEach(async () => {
  andon = await tempAndon()
})
afterEach(() => andon.cleanup())

const created = (name: string, workspace: string, tags: string[] = []): LoopEventInput =>
  ({ type: 'LoopCreated', data: { spec: spec({ name, policy: { kind: 'rules', rules: [{ name: 'check', when: {}, then: { tool: 'verify' } }] }, tags }), workspace } }) as LoopEventInput

/** One call of `tool`, approved and run ok, as the engine records it. */
const approvedCall = (callId: string, iteration: number, tool: string, args: Record<string, unknown>): LoopEventInput[] => [
  { type: 'ActionProposed', data: { iteration, callId, action: { tool, args }, risk: 'medium', needsApproval: true } },
  { type: 'ActionApproved', data: { callId, by: 'operator' } },
  { type: 'ToolFinished', data: { callId, ok: true, durationMs: 1 } }
]

/** A loop of `name` in `workspace` whose calls of `tool` were each approved and ran ok. */
function recordLoop(loopId: string, opts: { name: string; workspace: string; tool: string; args: Record<string, unknown>[]; tags?: string[] }): void {
  const events = [created(opts.name, opts.workspace, opts.tags), ...opts.args.flatMap((args, i) => approvedCall(`${loopId}:${i + 1}`, i + 1, opts.tool, args))]
  andon.store.appendSync(loopId, events, 0)
}

const patterns = (specName: string) => trackRecord(andon.store, specName, { settings: { streak: 5 } }).suggestions.map((s) => s.pattern)

describe('track record from the store', () => {
  it("reads Claude Code's absolute paths against each loop's own workspace: a directory, never the bare tool", () => {
    const edits = (ws: string, n: number) => Array.from({ length: n }, (_, i) => ({ file_path: `${ws}/src/f${i}.ts` }))
    recordLoop('loop-cc-1', { name: 'cc', workspace: '/data/workspaces/loop-cc-1', tool: 'Edit', args: edits('/data/workspaces/loop-cc-1', 3) })
    recordLoop('loop-cc-2', { name: 'cc', workspace: '/data/workspaces/loop-cc-2', tool: 'Edit', args: edits('/data/workspaces/loop-cc-2', 3) })
    expect(patterns('cc')).toEqual(['Edit(src/**)'])
  })

  it('leaves out eval runs (cases and gate runs, tagged eval): they were not supervised by an operator', () => {
    const reads = Array.from({ length: 5 }, () => ({ path: 'src/a.txt' }))
    recordLoop('loop-op', { name: 'reader', workspace: '/w/op', tool: 'read_file', args: reads.slice(0, 2) })
    recordLoop('loop-eval', { name: 'reader', workspace: '/w/ev', tool: 'read_file', args: reads, tags: ['eval', 'suite:x'] })
    const r = trackRecord(andon.store, 'reader', { settings: { streak: 5 } })
    expect(r.loops).toEqual({ counted: 1, importedExcluded: 0, evalExcluded: 1 })
    expect(r.tools.map((t) => [t.tool, t.proposals])).toEqual([['read_file', 2]])
    expect(r.suggestions).toEqual([])
  })

  it('the window holds the most recent proposals across interleaved loops, and loops last active before it are not read', () => {
    andon.store.appendSync('loop-old', [created('w', '/w/old'), ...approvedCall('old:1', 1, 'read_file', { path: 'old/a.txt' })].map((e) => ({ ...e, at: 1_000 })), 0)
    andon.store.appendSync('loop-a', [{ ...created('w', '/w/a'), at: 5_000 }], 0)
    andon.store.appendSync('loop-b', [{ ...created('w', '/w/b'), at: 5_000 }], 0)
    // a1 b1 a2 b2 a3 b3, one after another.
    for (let i = 1; i <= 3; i++) {
      for (const loop of ['a', 'b']) {
        const id = `loop-${loop}`
        andon.store.appendSync(id, approvedCall(`${loop}${i}`, i, 'read_file', { path: `${loop}/${i}.txt` }).map((e) => ({ ...e, at: 10_000 + i })), 'any')
      }
    }
    const read: unknown[] = []
    const prepare = andon.store.db.prepare.bind(andon.store.db)
    const spy = vi.spyOn(andon.store.db, 'prepare').mockImplementation(((sql: string) => {
      const stmt = prepare(sql)
      if (sql !== RECENT_PROPOSALS_SQL) return stmt
      const all = stmt.all.bind(stmt)
      return Object.assign(Object.create(stmt) as object, { all: (...args: unknown[]) => (read.push(args[0]), all(...args)) })
    }) as typeof andon.store.db.prepare)
    try {
      const r = trackRecord(andon.store, 'w', { limit: 3 })
      expect(r.window).toEqual({ calls: 3, limit: 3, truncated: true, unreadable: 0 })
      expect(r.recentDecisions.map((d) => d.argument)).toEqual(['b/3.txt', 'a/3.txt', 'b/2.txt'])
      expect(read).not.toContain('loop-old')
    } finally {
      spy.mockRestore()
    }
    expect(trackRecord(andon.store, 'w', { limit: 10 }).window).toEqual({ calls: 7, limit: 10, truncated: false, unreadable: 0 })
  })
})
