/**
 * The track record read from a real temp store, over histories appended as the engine records
 * them: paths read against each loop's own workspace, eval runs left out, and a read bounded by
 * the window whatever the length of the spec's history.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { trackRecord } from '../../src/main/core/track-record/track-record'
import type { LoopEventInput } from '../../src/shared/events'
import { spec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
beforeEach(async () => {
  andon = await tempAndon()
})
afterEach(() => andon.cleanup())

/** A loop of `name` in `workspace` whose calls of `tool` were each approved and ran ok. */
function recordLoop(loopId: string, opts: { name: string; workspace: string; tool: string; args: Record<string, unknown>[]; tags?: string[] }): void {
  const events: LoopEventInput[] = [{ type: 'LoopCreated', data: { spec: spec({ name: opts.name, policy: { kind: 'rules', rules: [{ name: 'check', when: {}, then: { tool: 'verify' } }] }, tags: opts.tags ?? [] }), workspace: opts.workspace } as never }]
  opts.args.forEach((args, i) => {
    const callId = `${loopId}:${i + 1}`
    events.push(
      { type: 'ActionProposed', data: { iteration: i + 1, callId, action: { tool: opts.tool, args }, risk: 'medium', needsApproval: true } },
      { type: 'ActionApproved', data: { callId, by: 'operator' } },
      { type: 'ToolFinished', data: { callId, ok: true, durationMs: 1 } }
    )
  })
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
})
