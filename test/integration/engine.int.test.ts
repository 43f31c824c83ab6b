import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { StoredEvent } from '../../src/shared/events'
import { exampleSpec, spec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'

type TestAndon = Awaited<ReturnType<typeof tempAndon>>
let andon: TestAndon
afterEach(async () => andon?.cleanup())

const types = (events: StoredEvent[]) => events.map((e) => e.type)

describe('loop engine (real store, real tools, real processes)', () => {
  it('runs the example loop to SUCCESS, fixing the workspace through observe → decide → act', async () => {
    andon = await tempAndon()
    const { spec: s, specPath } = exampleSpec('fix-the-tests')
    const loopId = await andon.supervisor.launch(s, { specPath })
    await andon.supervisor.settled(loopId)
    const { state, iterations } = await andon.handlers.getLoop({ loopId })
    expect(state.status).toBe('terminated')
    expect(state.termination?.reason).toBe('SUCCESS')
    expect(iterations.map((r) => r.action?.tool)).toEqual(['verify', 'replace_in_file', 'verify', 'replace_in_file', 'verify'])
    expect(iterations.every((r) => r.invariants && r.invariants.failing.length === 0)).toBe(true)
    expect(readFileSync(join(state.workspace!, 'math.js'), 'utf8')).toContain('a * b')
    const events = andon.store.readStream(loopId)
    expect(events.filter((e) => e.type === 'InvariantChecked')).toHaveLength(5)
    const output = events.flatMap((e) => (e.type === 'ToolOutput' ? [e.data.chunk] : [])).join('')
    expect(output).toContain('\x1b[31mFAIL\x1b[0m add(2, 3): expected 5, got -1')
    expect(types(events).at(-1)).toBe('Terminated')
  })

  it('escalates a stuck loop with a packet, and converges after the operator adds a fact and resumes', async () => {
    andon = await tempAndon()
    const { spec: s, specPath } = exampleSpec('stuck-needs-a-hint')
    const loopId = await andon.supervisor.launch(s, { specPath })
    await andon.supervisor.settled(loopId)
    let state = andon.supervisor.liveState(loopId)
    expect(state.status).toBe('escalated')
    const packet = state.escalation!
    expect(packet.failingInvariants.map((f) => f.name)).toContain('no-looping')
    expect(packet.failingInvariants[0].history.at(-1)).toEqual({ iteration: state.iteration, ok: false })
    expect(packet.reasoningTrail.length).toBeGreaterThan(0)
    expect(packet.confidenceTrajectory.map((c) => c.iteration)).toEqual([1, 2, 3, 4, 5])
    expect(packet.suggestions.map((x) => x.command ?? 'patch')).toContain('abort')
    const inbox = await andon.handlers.listInbox({})
    expect(inbox).toMatchObject([{ loopId, kind: 'escalation' }])

    // A bad patch is refused with the field named, and nothing is recorded.
    const before = andon.store.streamVersion(loopId)
    await expect(
      andon.handlers.patchState({ loopId, why: 'x', patch: { ops: [{ op: 'setInvariant', name: 'maxIterations', value: -3 }] } })
    ).rejects.toThrow(/invariants\.maxIterations/)
    expect(andon.store.streamVersion(loopId)).toBe(before)

    await andon.handlers.patchState({ loopId, why: 'the region is known', patch: { ops: [{ op: 'addFact', fact: 'region is eu-west-1' }] } })
    state = andon.supervisor.liveState(loopId)
    expect(state.facts).toEqual(['region is eu-west-1'])
    await andon.handlers.resumeLoop({ loopId })
    await andon.supervisor.settled(loopId)
    state = andon.supervisor.liveState(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    const patched = andon.store.readStream(loopId).find((e) => e.type === 'StatePatched')
    expect(patched).toMatchObject({ data: { by: 'operator', why: 'the region is known' } })
    expect(await andon.handlers.listInbox({})).toEqual([])
  })

  it('aborting an escalation records the reason it was raised for', async () => {
    andon = await tempAndon()
    const { spec: s, specPath } = exampleSpec('stuck-needs-a-hint')
    const loopId = await andon.supervisor.launch(s, { specPath })
    await andon.supervisor.settled(loopId)
    const summary = await andon.handlers.cancelLoop({ loopId })
    expect(summary.terminationReason).toBe('STALLED')
  })

  it('gates actions for approval; an edited approval runs the edited call; a rejection reaches the policy', async () => {
    andon = await tempAndon()
    const s = spec({
      autonomy: 'approve-risky',
      policy: {
        kind: 'rules',
        rules: [
          { name: 'rejected once', when: { lastTool: 'run_command' }, then: { tool: 'verify' } },
          { name: 'write', when: { start: true }, then: { tool: 'run_command', args: { command: 'echo wrong > out.txt' } } }
        ]
      },
      termination: { verifyCommand: 'grep -q right out.txt' }
    })
    const loopId = await andon.supervisor.launch(s)
    await andon.supervisor.settled(loopId)
    let state = andon.supervisor.liveState(loopId)
    expect(state.status).toBe('awaiting-approval')
    expect(state.pendingCall).toMatchObject({ risk: 'high', approved: null, action: { tool: 'run_command' } })
    const [item] = await andon.handlers.listInbox({})
    expect(item).toMatchObject({ kind: 'approval', callId: state.pendingCall!.callId })

    await expect(
      andon.handlers.decideApproval({ loopId, callId: item.callId!, decision: 'approve', editedArgs: { command: 42 }, reason: '' })
    ).rejects.toThrow(/command/)
    await andon.handlers.decideApproval({
      loopId,
      callId: item.callId!,
      decision: 'approve',
      editedArgs: { command: 'echo right > out.txt' },
      reason: ''
    })
    await andon.supervisor.settled(loopId)
    state = andon.supervisor.liveState(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    expect(readFileSync(join(state.workspace!, 'out.txt'), 'utf8')).toBe('right\n')
    const rows = andon.store.iterationRows(loopId)
    expect(rows[0].approval).toBe('edited')
  })

  it('records a rejection with its reason; a policy with nothing else to propose escalates with it', async () => {
    andon = await tempAndon()
    const s = spec({
      autonomy: 'approve-every-action',
      policy: { kind: 'rules', rules: [{ name: 'v', when: {}, then: { tool: 'verify' } }] },
      termination: { verifyCommand: 'true' }
    })
    const loopId = await andon.supervisor.launch(s)
    await andon.supervisor.settled(loopId)
    const callId = andon.supervisor.liveState(loopId).pendingCall!.callId
    await andon.handlers.decideApproval({ loopId, callId, decision: 'reject', reason: 'not yet' })
    await andon.supervisor.settled(loopId)
    const events = andon.store.readStream(loopId)
    expect(events.find((e) => e.type === 'ActionRejected')).toMatchObject({ data: { reason: 'not yet' } })
    const st = andon.supervisor.liveState(loopId)
    expect(st.status).toBe('escalated')
    expect(st.iteration).toBe(2)
    expect(st.escalation?.summary).toMatch(/no rule matches the current state but the calls the operator rejected \("not yet"\)/)
  })

  it('pauses at a safe point, resumes, and cancel kills a running tool', async () => {
    andon = await tempAndon()
    const s = spec({
      policy: { kind: 'rules', delayMs: 30, rules: [{ name: 'sleep', when: {}, then: { tool: 'run_command', args: { command: 'sleep 30' } } }] },
      invariants: { sameActionLimit: 10, progressEvery: 10 }
    })
    const loopId = await andon.supervisor.launch(s)
    await until(() => andon.supervisor.liveState(loopId).openCall, 10_000, 'the tool to start')
    const t0 = Date.now()
    const summary = await andon.handlers.cancelLoop({ loopId })
    expect(Date.now() - t0).toBeLessThan(5_000)
    expect(summary.terminationReason).toBe('CANCELLED')
    const finished = andon.store.readStream(loopId).find((e) => e.type === 'ToolFinished')
    expect(finished).toMatchObject({ data: { ok: false, error: 'cancelled' } })

    const s2 = spec({ policy: { kind: 'rules', delayMs: 20, rules: [{ name: 'v', when: {}, then: { tool: 'run_command', args: { command: 'true' } } }] }, invariants: { sameActionLimit: 100, progressEvery: 100, maxIterations: 200 } })
    const id2 = await andon.supervisor.launch(s2)
    await until(() => andon.supervisor.liveState(id2).iteration >= 2, 10_000, 'two iterations')
    const paused = await andon.handlers.pauseLoop({ loopId: id2, reason: 'coffee' })
    expect(paused.status).toBe('paused')
    const at = andon.store.streamVersion(id2)
    await new Promise((r) => setTimeout(r, 150))
    expect(andon.store.streamVersion(id2)).toBe(at)
    await andon.handlers.resumeLoop({ loopId: id2 })
    await until(() => andon.store.streamVersion(id2) > at + 3, 10_000, 'progress after resume')
    await andon.handlers.cancelLoop({ loopId: id2 })
  })

  it('runs several loops at once, each to its own end', async () => {
    andon = await tempAndon()
    const { spec: s, specPath } = exampleSpec('fix-the-tests')
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => andon.supervisor.launch({ ...s, name: `parallel-${i}` }, { specPath })))
    await Promise.all(ids.map((id) => andon.supervisor.settled(id)))
    const loops = await andon.handlers.listLoops({})
    expect(loops.filter((l) => l.terminationReason === 'SUCCESS')).toHaveLength(6)
    for (const id of ids) expect(andon.store.readStream(id).map((e) => e.version)).toEqual(andon.store.readStream(id).map((_, i) => i + 1))
  })

  it('forks from an earlier iteration with the workspace as it was there, and records the parent', async () => {
    andon = await tempAndon()
    const { spec: s, specPath } = exampleSpec('fix-the-tests')
    const parent = await andon.supervisor.launch(s, { specPath })
    await andon.supervisor.settled(parent)
    const rows = andon.store.iterationRows(parent)
    const atVersion = rows[1].lastVersion // after iteration 2: add() fixed, mul() not yet
    const past = await andon.handlers.stateAt({ loopId: parent, version: atVersion })
    expect(past.iteration).toBe(2)
    expect(past.status).toBe('running')
    const { loopId: child } = await andon.handlers.forkLoop({ loopId: parent, atVersion, start: false })
    const childState = andon.supervisor.liveState(child)
    expect(childState.parentLoopId).toBe(parent)
    expect(childState.iteration).toBe(2)
    expect(readFileSync(join(childState.workspace!, 'math.js'), 'utf8')).toMatch(/add = \(a, b\) => a \+ b[\s\S]*mul = \(a, b\) => a \+ b/)
    await andon.handlers.resumeLoop({ loopId: child })
    await andon.supervisor.settled(child)
    const done = andon.supervisor.liveState(child)
    expect(done.termination?.reason).toBe('SUCCESS')
    expect(done.iteration).toBe(5)
    expect(andon.store.readStream(parent).at(-1)).toMatchObject({ type: 'Forked', data: { childLoopId: child, atVersion } })
  })

  it('escalates a hallucinated tool and malformed tool input without running anything', async () => {
    andon = await tempAndon()
    // A tool a policy makes up at run time: replayed from a record that names one.
    const recorded = spec({ policy: { kind: 'rules', rules: [{ name: 'v', when: {}, then: { tool: 'verify' } }] } })
    await andon.store.append('recorded', [
      { type: 'LoopCreated', data: { spec: recorded, specPath: null, workspace: null } },
      { type: 'IterationStarted', data: { iteration: 1 } },
      { type: 'DecisionMade', data: { iteration: 1, policy: 'rules', action: { tool: 'launch_rockets', args: {} }, subgoal: 'go', confidence: 1, rationale: '', prompt: {}, usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, latencyMs: 0 } }
    ], 0)
    const loopId = await andon.supervisor.launch(spec({ policy: { kind: 'replay', sourceLoopId: 'recorded' } }))
    await andon.supervisor.settled(loopId)
    let st = andon.supervisor.liveState(loopId)
    expect(st.escalation?.failingInvariants.map((f) => f.name)).toContain('known-tool')
    expect(andon.store.readStream(loopId).some((e) => e.type === 'ToolStarted')).toBe(false)

    const s2 = spec({ policy: { kind: 'rules', rules: [{ name: 'bad', when: {}, then: { tool: 'read_file', args: { path: 7 } } }] } })
    const id2 = await andon.supervisor.launch(s2)
    await andon.supervisor.settled(id2)
    st = andon.supervisor.liveState(id2)
    expect(st.escalation?.summary).toMatch(/bad input for read_file: path/)
  })

  it('tools that act outside the workspace must be named in the spec', async () => {
    andon = await tempAndon()
    const s = spec({ policy: { kind: 'rules', rules: [{ name: 'gh', when: {}, then: { tool: 'github_ci_status', args: { owner: 'o', repo: 'r', ref: 'main' } } }] } })
    await expect(andon.supervisor.launch(s)).rejects.toThrow(/policy\.rules\.0\.then\.tool: tool "github_ci_status" is not in the spec's tools list/)
  })

  it('a launch that cannot build its policy creates nothing', async () => {
    andon = await tempAndon()
    const s = spec({ policy: { kind: 'anthropic', model: 'claude-sonnet-4-5' } })
    await expect(andon.supervisor.launch(s)).rejects.toThrow(/ANTHROPIC_API_KEY/)
    expect(await andon.handlers.listLoops({})).toEqual([])
    expect(existsSync(join(andon.dataDir, 'workspaces')) ? readdirSync(join(andon.dataDir, 'workspaces')) : []).toEqual([])
  })

  it('launches edited spec text with the workspace resolved from the spec file it came from', async () => {
    andon = await tempAndon()
    const entry = (await andon.handlers.listSpecs({})).find((x) => x.name === 'fix-the-tests')!
    const edited = entry.text.replace('maxIterations: 12', 'maxIterations: 9').replace('delayMs: 150', 'delayMs: 0')
    const { loopId } = await andon.handlers.launchLoop({ specId: entry.id, specText: edited, overrides: {} })
    await andon.supervisor.settled(loopId)
    const st = andon.supervisor.liveState(loopId)
    expect(st.invariants.maxIterations).toBe(9)
    expect(st.termination?.reason).toBe('SUCCESS')
  })

  it('a long loop with think time leaks no abort listeners', async () => {
    andon = await tempAndon()
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(w.name)
    process.on('warning', onWarning)
    try {
      const s = spec({
        policy: { kind: 'rules', delayMs: 1, rules: [{ name: 'read', when: {}, then: { tool: 'verify' } }] },
        invariants: { maxIterations: 30, sameActionLimit: 100, progressEvery: 100 },
        termination: { successTool: 'read_file', verifyCommand: 'true' }
      })
      const loopId = await andon.supervisor.launch(s)
      await andon.supervisor.settled(loopId)
      expect(andon.supervisor.liveState(loopId).iteration).toBe(30)
      await new Promise((r) => setImmediate(r))
      expect(warnings).not.toContain('MaxListenersExceededWarning')
    } finally {
      process.off('warning', onWarning)
    }
  })

  it('stops at the iteration cap with MAX_ITERATIONS', async () => {
    andon = await tempAndon()
    const s = spec({
      policy: { kind: 'rules', rules: [{ name: 'count', when: {}, then: { tool: 'run_command', args: { command: 'date +%N' } } }] },
      invariants: { maxIterations: 4, sameActionLimit: 10, progressEvery: 10 }
    })
    const loopId = await andon.supervisor.launch(s)
    await andon.supervisor.settled(loopId)
    const st = andon.supervisor.liveState(loopId)
    expect(st.termination).toMatchObject({ reason: 'MAX_ITERATIONS' })
    expect(st.iteration).toBe(4)
  })

  it('keeps huge and non-UTF-8 tool output safe: capped, decoded, marked', async () => {
    andon = await tempAndon()
    const s = spec({
      policy: { kind: 'rules', rules: [{ name: 'noisy', when: {}, then: { tool: 'run_command', args: { command: "printf '\\377\\376bad bytes\\n'; head -c 3000000 /dev/zero | tr '\\0' x; exit 3" } } }] },
      invariants: { maxIterations: 1 }
    })
    const loopId = await andon.supervisor.launch(s)
    await andon.supervisor.settled(loopId)
    const events = andon.store.readStream(loopId)
    const out = events.flatMap((e) => (e.type === 'ToolOutput' ? [e.data.chunk] : [])).join('')
    expect(out.startsWith('\uFFFD\uFFFDbad bytes')).toBe(true)
    expect(out).toContain('[output capped at')
    expect(out.length).toBeLessThan(300_000)
    const finished = events.find((e) => e.type === 'ToolFinished')
    expect(finished).toMatchObject({ data: { ok: false, exitCode: 3, truncated: true } })
    expect((finished as { data: { outputBytes: number } }).data.outputBytes).toBeGreaterThan(3_000_000)
  })

  it('refuses file paths outside the workspace', async () => {
    andon = await tempAndon()
    const s = spec({
      policy: { kind: 'rules', rules: [{ name: 'escape', when: {}, then: { tool: 'read_file', args: { path: '../../../etc/passwd' } } }] },
      invariants: { maxIterations: 1 }
    })
    const loopId = await andon.supervisor.launch(s)
    await andon.supervisor.settled(loopId)
    const obs = andon.store.readStream(loopId).find((e) => e.type === 'Observed')
    expect(obs).toMatchObject({ data: { observation: { ok: false, summary: expect.stringMatching(/outside the workspace/) } } })
  })
})
