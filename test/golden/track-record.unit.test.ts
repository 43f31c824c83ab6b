/**
 * Promotion suggestions from recorded histories: event logs the real engine recorded
 * (track-records/, made by track-record-histories.int.test.ts; histories/, by the engine's golden
 * scenarios), read as they were recorded and turned into a track record and its suggestions.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { callRecords } from '../../src/main/core/track-record/calls'
import { promotions } from '../../src/main/core/track-record/promotion'
import { byTool, toolRecord } from '../../src/main/core/track-record/tally'
import { StoredEventSchema, type StoredEvent } from '../../src/shared/events'
import { upcast } from '../../src/shared/upcast'

/** A recorded history's events in the order recorded; each copy's loops get their own ids. */
function recorded(...files: string[]): StoredEvent[] {
  let seq = 0
  return files.flatMap((file, copy) =>
    readFileSync(join(__dirname, file), 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const raw = JSON.parse(line) as { loop: string; type: string; data: unknown }
        seq++
        const event = { type: raw.type, data: upcast(raw.type, 1, raw.data), loopId: `${raw.loop}-copy${copy}`, version: seq, seq, at: seq }
        return StoredEventSchema.parse(event) as StoredEvent
      })
  )
}

const trackRecordOf = (events: StoredEvent[], streak: number) => {
  const tools = byTool(callRecords(events))
  return {
    tools: Object.fromEntries([...tools].map(([tool, calls]) => [tool, toolRecord(tool, calls)])),
    ...promotions(tools, { streak, maxFailureShare: 0.1 })
  }
}

describe('promotion suggestions from recorded histories', () => {
  it('two loops of unedited approvals suggest the command they share; an edit keeps read_file short of its streak', () => {
    const r = trackRecordOf(recorded('track-records/reader-approvals.jsonl'), 5)
    expect(r.suggestions).toEqual([
      {
        tool: 'run_command',
        effect: 'allow',
        pattern: 'run_command(ls src)',
        text: 'The last 10 `run_command` calls were approved unedited (2 loops); 0 of 10 runs failed. Allow `run_command(ls src)` without asking?',
        evidence: { approvedUnedited: 10, ran: 10, failed: 0, loops: 2, since: expect.any(Number), until: expect.any(Number) }
      }
    ])
    expect(r.withheld).toEqual([])
    expect(r.tools.read_file).toMatchObject({ proposals: 10, operator: { approved: 9, edited: 1 }, streak: 4, runs: { ok: 10 } })
    expect(r.tools.read_file.recent[4]).toMatchObject({ decision: 'edited', argument: 'src/a.txt', loopId: 'loop-2-copy0' })
    // At the default streak of 20, ten approvals earn nothing yet.
    expect(trackRecordOf(recorded('track-records/reader-approvals.jsonl'), 20).suggestions).toEqual([])
  })

  it('the fix-the-tests approvals, twice: verify earned its streak but failed too often; the edits keep replace_in_file short', () => {
    const r = trackRecordOf(recorded('histories/approvals.jsonl', 'histories/approvals.jsonl'), 5)
    expect(r.suggestions).toEqual([])
    expect(r.withheld).toEqual([
      expect.objectContaining({
        tool: 'verify',
        why: 'failures',
        text: 'The last 6 `verify` calls were approved unedited (2 loops); 4 of 6 runs failed: more than 10% failed, so allowing them is not suggested.'
      })
    ])
    expect(r.tools.replace_in_file).toMatchObject({ operator: { approved: 2, edited: 2 }, streak: 1 })
  })

  it('a rejection by the operator, and a call the mode let through, are counted apart', () => {
    const r = trackRecordOf(recorded('histories/rejection.jsonl'), 5)
    expect(r.tools.run_command).toMatchObject({ proposals: 2, operator: { approved: 1, rejected: 1 }, streak: 1, runs: { ok: 1 } })
    expect(r.tools.run_command.recent.map((d) => [d.decision, d.argument, d.note])).toEqual([
      ['approved', 'touch notes.bak', null],
      ['rejected', 'rm -f notes.txt', 'keep the notes']
    ])
    expect(r.tools.verify).toMatchObject({ proposals: 1, ranUnasked: { total: 1, byMode: 1, byRule: 0 }, operator: { decisions: 0 } })
  })
})
