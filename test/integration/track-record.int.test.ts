/**
 * Track records from real loops: rules-policy loops under approve-every-action on a temp store,
 * each call approved, edited or rejected through the contract's handlers, and the record read
 * back through the trackRecord commands (the bounded SQL query, not a fold in the test).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LOOP_CALL_EVENTS_SQL, RECENT_PROPOSALS_SQL } from '../../src/main/core/track-record/call-events'
import { trackRecord } from '../../src/main/core/track-record/track-record'
import { contract } from '../../src/shared/contract'
import type { TrackRecord } from '../../src/shared/track-record'
import { readerSpec as specOf } from '../golden/track-records/reader'
import { tempAndon, tempDir } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
let template: string

beforeEach(async () => {
  andon = await tempAndon()
  template = tempDir()
  mkdirSync(join(template, 'src'))
  writeFileSync(join(template, 'src', 'a.txt'), 'a\n')
  writeFileSync(join(template, 'src', 'b.txt'), 'b\n')
})
afterEach(() => andon.cleanup())

/** Reads src/a.txt, then lists src, and again, until its 10 iterations are used up: 5 calls of each tool. */
const readerSpec = (name: string) => specOf(name, template)

const record = (specName: string): Promise<TrackRecord> => Promise.resolve(andon.handlers.trackRecord(contract.trackRecord.input.parse({ specName, streak: 5 })))
const tool = (r: TrackRecord, name: string) => r.tools.find((t) => t.tool === name)
const patterns = (r: TrackRecord) => r.suggestions.map((s) => s.pattern).sort()

/** The call now waiting for the operator, or null once the loop stopped asking. */
async function waiting(loopId: string) {
  await andon.supervisor.settled(loopId)
  const s = andon.supervisor.liveState(loopId)
  return s.status === 'awaiting-approval' ? s.pendingCall! : null
}

async function decide(loopId: string, how: 'approve' | 'edit' | 'reject'): Promise<string> {
  const call = await waiting(loopId)
  if (!call) throw new Error('no call is waiting')
  await andon.handlers.decideApproval(
    contract.decideApproval.input.parse({
      loopId,
      callId: call.callId,
      decision: how === 'reject' ? 'reject' : 'approve',
      editedArgs: how === 'edit' ? { path: 'src/b.txt' } : undefined,
      reason: how === 'reject' ? 'not now' : ''
    })
  )
  await andon.supervisor.settled(loopId)
  return call.action.tool
}

async function approveAll(loopId: string): Promise<void> {
  while (await waiting(loopId)) await decide(loopId, 'approve')
}

describe('track record per spec and tool', () => {
  it('a suggestion appears after N unedited approvals and disappears after one edit or rejection', async () => {
    const loopId = await andon.supervisor.launch(readerSpec('reader-a'))
    // Four calls of each tool approved: one short of the streak of 5.
    for (let i = 0; i < 8; i++) await decide(loopId, 'approve')
    expect((await record('reader-a')).suggestions).toEqual([])
    await decide(loopId, 'approve') // the 5th read_file
    expect(patterns(await record('reader-a'))).toEqual(['read_file(src/a.txt)'])
    await approveAll(loopId) // the 5th run_command; the loop then stops at its iteration cap
    expect(andon.supervisor.liveState(loopId).termination?.reason).toBe('MAX_ITERATIONS')

    const first = await record('reader-a')
    expect(patterns(first)).toEqual(['read_file(src/a.txt)', 'run_command(ls src)'])
    expect(first.suggestions.find((s) => s.tool === 'run_command')).toMatchObject({
      effect: 'allow',
      text: 'The last 5 `run_command` calls were approved unedited (1 loop); 0 of 5 runs failed. Allow `run_command(ls src)` without asking?',
      evidence: { approvedUnedited: 5, ran: 5, failed: 0, loops: 1 }
    })
    expect(tool(first, 'read_file')).toMatchObject({
      proposals: 5,
      ranUnasked: { total: 0 },
      operator: { decisions: 5, approved: 5, edited: 0, rejected: 0, answered: 0 },
      runs: { finished: 5, ok: 5, failed: 0 },
      streak: 5
    })
    expect(first.recentDecisions[0]).toMatchObject({ loopId, tool: 'run_command', argument: 'ls src', decision: 'approved', by: 'operator', outcome: 'ok' })
    expect(first.loops).toEqual({ counted: 1, importedExcluded: 0, evalExcluded: 0 })
    expect(first.window).toEqual({ calls: 10, limit: 1000, truncated: false, unreadable: 0 })

    // A second loop of the same spec: the operator edits a read, then rejects a listing.
    const second = await andon.supervisor.launch(readerSpec('reader-a'))
    expect(await decide(second, 'edit')).toBe('read_file')
    const afterEdit = await record('reader-a')
    expect(patterns(afterEdit)).toEqual(['run_command(ls src)'])
    expect(tool(afterEdit, 'read_file')).toMatchObject({ operator: { approved: 5, edited: 1 }, streak: 0, runs: { ok: 6 } })
    expect(tool(afterEdit, 'read_file')!.recent[0]).toMatchObject({ loopId: second, decision: 'edited', argument: 'src/a.txt' })

    expect(await decide(second, 'reject')).toBe('run_command')
    const afterReject = await record('reader-a')
    expect(afterReject.suggestions).toEqual([])
    expect(tool(afterReject, 'run_command')).toMatchObject({ proposals: 6, operator: { approved: 5, rejected: 1 }, streak: 0 })
    expect(afterReject.recentDecisions[0]).toMatchObject({ decision: 'rejected', note: 'not now', outcome: 'not-run' })
    expect(afterReject.loops.counted).toBe(2)
  })

  it('two specs do not mix; imported loops are left out; a loop answers for its spec; the read is bounded', async () => {
    const a = await andon.supervisor.launch(readerSpec('reader-a'))
    await approveAll(a)
    const b = await andon.supervisor.launch(readerSpec('reader-b'))
    await decide(b, 'reject')
    await andon.supervisor.cancel(b)

    const ofA = await record('reader-a')
    const ofB = await record('reader-b')
    expect(tool(ofA, 'read_file')).toMatchObject({ proposals: 5, operator: { approved: 5, rejected: 0 } })
    expect(ofB.tools.map((t) => [t.tool, t.proposals, t.operator.rejected])).toEqual([['read_file', 1, 1]])
    expect(ofB.suggestions).toEqual([])

    // The same loop exported and imported back: a read-only copy, history from elsewhere.
    const { bytesBase64 } = await andon.handlers.exportBundle(contract.exportBundle.input.parse({ loopIds: [a] }))
    const imported = await andon.handlers.importBundle(contract.importBundle.input.parse({ bytesBase64 }))
    expect(imported.loopIds).toHaveLength(1)
    const withImport = await record('reader-a')
    expect(withImport.loops).toEqual({ counted: 1, importedExcluded: 1, evalExcluded: 0 })
    expect(withImport.tools).toEqual(ofA.tools)

    const forLoop = await andon.handlers.trackRecordForLoop(contract.trackRecordForLoop.input.parse({ loopId: a, streak: 5 }))
    expect(forLoop).toEqual(withImport)
    await expect(Promise.resolve().then(() => andon.handlers.trackRecordForLoop({ loopId: 'loop-none', streak: 5 }))).rejects.toThrow('no such loop loop-none')
    expect(contract.trackRecord.input.safeParse({ specName: 'reader-a', streak: 4 }).success).toBe(false)
    expect(contract.trackRecord.input.parse({ specName: 'reader-a' }).streak).toBe(20)

    // Bounded: only the most recent 4 proposals are read, and the record says older ones exist.
    const bounded = trackRecord(andon.store, 'reader-a', { limit: 4, settings: { streak: 5 } })
    expect(bounded.window).toEqual({ calls: 4, limit: 4, truncated: true, unreadable: 0 })
    expect(bounded.tools.map((t) => [t.tool, t.proposals])).toEqual([['read_file', 2], ['run_command', 2]])
    expect(bounded.suggestions).toEqual([])
  })
  it('a call an allow rule already covers is not suggested again; a revoked or narrower rule does not hide it', async () => {
    const loopId = await andon.supervisor.launch(readerSpec('reader-a'))
    await approveAll(loopId)
    expect(patterns(await record('reader-a'))).toEqual(['read_file(src/a.txt)', 'run_command(ls src)'])
    const rule = (effect: 'allow' | 'ask', pattern: string, spec = 'reader-a') =>
      andon.handlers.addApprovalRule(contract.addApprovalRule.input.parse({ effect, pattern, scope: { spec }, why: 'test' }))

    // A rule for another spec, and a narrower one that covers none of these calls: still suggested.
    await rule('allow', 'read_file(src/a.txt)', 'reader-b')
    await rule('allow', 'run_command(ls lib:*)')
    expect(patterns(await record('reader-a'))).toEqual(['read_file(src/a.txt)', 'run_command(ls src)'])

    // An allow covering every read of the streak: read_file is no longer suggested.
    const covering = await rule('allow', 'read_file(src/a.txt)')
    expect(patterns(await record('reader-a'))).toEqual(['run_command(ls src)'])
    // An ask on the same calls wins at the gate: the allow does not cover them, and a new allow would not either.
    const ask = await rule('ask', 'read_file')
    const asked = await record('reader-a')
    expect(patterns(asked)).toEqual(['run_command(ls src)'])
    expect(asked.withheld).toEqual([expect.objectContaining({ tool: 'read_file', why: 'decided-by-rule', text: expect.stringContaining(`the ask rule \`read_file\` in the rule set (#${ask.id})`) })])
    await andon.handlers.revokeApprovalRule({ id: ask.id, why: 'test' })
    expect(patterns(await record('reader-a'))).toEqual(['run_command(ls src)'])
    await andon.handlers.revokeApprovalRule({ id: covering.id, why: 'test' })
    expect(patterns(await record('reader-a'))).toEqual(['read_file(src/a.txt)', 'run_command(ls src)'])

    // The spec's own allow rules count too (the newest loop of that spec name).
    const withSpecRule = { ...readerSpec('reader-c'), approvals: { allow: [], ask: [], deny: [] } }
    const c = await andon.supervisor.launch(withSpecRule)
    await approveAll(c)
    expect(patterns(await record('reader-c'))).toEqual(['read_file(src/a.txt)', 'run_command(ls src)'])
    const c2 = await andon.supervisor.launch({ ...withSpecRule, approvals: { allow: ['run_command(ls src)'], ask: [], deny: [] } })
    await approveAll(c2)
    expect(patterns(await record('reader-c'))).toEqual(['read_file(src/a.txt)'])

    // The rules are read once per record, not once per call of a streak.
    const liveFor = vi.spyOn(andon.supervisor.approvalRules, 'liveFor')
    await record('reader-c')
    expect(liveFor).toHaveBeenCalledTimes(1)
    liveFor.mockRestore()
  })

  it('reads through the partial index of call events, newest first, without sorting', () => {
    const plan = (sql: string, ...args: unknown[]) => (andon.store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail)
    for (const [sql, args] of [[RECENT_PROPOSALS_SQL, ['loop-x', 0, 10]], [LOOP_CALL_EVENTS_SQL, ['loop-x', 0]]] as const) {
      const steps = plan(sql, ...args)
      expect(steps, sql).toEqual([expect.stringMatching(/^SEARCH events USING INDEX events_calls \(loop_id=\? AND seq>\?\)$/)])
    }
  })
})
