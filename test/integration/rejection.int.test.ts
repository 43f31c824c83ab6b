/**
 * A rejection's reason reaches the policy (rules and anthropic alike), a rejected call does not
 * count as a repeated call, and a rejected iteration is checked like any other.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import type { StoredEvent } from '../../src/shared/events'
import { toolUse } from '../support/scripted-server'
import { scriptedServerPerFile } from '../support/scripted-server/per-file'
import { cleanupRules, spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'

const KEY = 'sk-ant-rejection-0123456789abcdef'
const scripted = scriptedServerPerFile(KEY)
let andon: Awaited<ReturnType<typeof tempAndon>>

beforeEach(async () => {
  setSharedBackpressure(new Backpressure({ random: () => 0, retry: { maxAttempts: 1 } }))
  andon = await tempAndon({ env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
})
afterEach(() => andon.cleanup())

const checked = (events: StoredEvent[]) => events.flatMap((e) => (e.type === 'InvariantChecked' ? [e.data.iteration] : []))

async function rejectWaiting(loopId: string, reason: string): Promise<void> {
  await andon.supervisor.settled(loopId)
  const st = andon.supervisor.liveState(loopId)
  expect(st.status).toBe('awaiting-approval')
  await andon.handlers.decideApproval({ loopId, callId: st.pendingCall!.callId, decision: 'reject', reason })
  await andon.supervisor.settled(loopId)
}

describe('a rejection reaches the policy', () => {
  it('rules: the rejected call is not proposed again; a rule on the reason picks the alternative; the rejected iteration is checked', async () => {
    const template = tempDir()
    writeFileSync(join(template, 'notes.txt'), 'the only copy\n')
    const s = spec({
      autonomy: 'approve-every-action',
      policy: {
        kind: 'rules',
        rules: cleanupRules('mv notes.txt notes.bak')
      },
      workspace: template,
      termination: { verifyCommand: 'test -f notes.bak' }
    })
    const loopId = await andon.supervisor.launch(s)
    await andon.supervisor.settled(loopId)
    await rejectWaiting(loopId, 'keep the notes, they are the only copy')

    const st = andon.supervisor.liveState(loopId)
    expect(st.status).toBe('awaiting-approval')
    expect(st.iteration).toBe(2)
    expect(st.pendingCall?.action).toEqual({ tool: 'run_command', args: { command: 'mv notes.txt notes.bak' } })
    const events = andon.store.readStream(loopId)
    const second = events.find((e) => e.type === 'DecisionMade' && e.data.iteration === 2)
    expect(second).toMatchObject({ data: { rationale: 'rule "archive instead" matched' } })
    // The rejected iteration was checked before the next one began.
    expect(checked(events)).toEqual([1])
    const rows = andon.store.iterationRows(loopId)
    expect(rows[0]).toMatchObject({ approval: 'rejected', result: { ok: false, summary: 'rejected: keep the notes, they are the only copy' }, invariants: { failing: [] } })
    // The rejected `rm` never ran.
    expect(readFileSync(join(st.workspace!, 'notes.txt'), 'utf8')).toBe('the only copy\n')
    rmSync(template, { recursive: true, force: true })
  })

  it('anthropic: the next request carries every reason; approving the third identical proposal runs it, and is not looping', async () => {
    const write = () => toolUse('write_file', { path: 'package.json', content: '{}' })
    scripted.server.anthropic.enqueue(write(), write(), write(), toolUse('verify', {}))
    const s = spec({
      autonomy: 'approve-every-action',
      policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: scripted.server.anthropicBaseUrl, timeoutMs: 5_000 },
      invariants: { sameActionLimit: 2 },
      termination: { verifyCommand: 'test -f package.json' }
    })
    const loopId = await andon.supervisor.launch(s)
    await rejectWaiting(loopId, 'do not touch package.json')
    await rejectWaiting(loopId, 'still no: package.json is generated')

    const prompts = scripted.server.requests.map((r) => (r.body as { messages: { content: string }[] }).messages[0].content)
    expect(prompts).toHaveLength(3)
    expect(prompts[0]).not.toMatch(/rejected/)
    expect(prompts[1]).toMatch(/# Proposals that were rejected, by a human or an invariant[\s\S]*iteration 1: write_file \{"path":"package.json","content":"\{\}"\}: rejected by operator, reason: do not touch package.json/)
    expect(prompts[2]).toMatch(/iteration 1: write_file[\s\S]*do not touch package.json[\s\S]*iteration 2: write_file[\s\S]*still no: package.json is generated/)

    // The operator gives in on the third identical proposal: with sameActionLimit 2, it still runs.
    const st = andon.supervisor.liveState(loopId)
    await andon.handlers.decideApproval({ loopId, callId: st.pendingCall!.callId, decision: 'approve', reason: '' })
    await andon.supervisor.settled(loopId)
    const after = andon.supervisor.liveState(loopId)
    expect(after.escalation).toBeNull()
    expect(after.status).toBe('awaiting-approval')
    expect(after.pendingCall?.action.tool).toBe('verify')
    const events = andon.store.readStream(loopId)
    expect(checked(events)).toEqual([1, 2, 3])
    expect(events.filter((e) => e.type === 'ToolStarted')).toHaveLength(1)
    // The fourth request saw the call's result and no longer lists the rejections.
    const fourth = (scripted.server.requests[3].body as { messages: { content: string }[] }).messages[0].content
    expect(fourth).toMatch(/# Last observation\ntool: write_file; ok: true/)
    expect(fourth).not.toMatch(/Proposals that were rejected/)
  })
})
