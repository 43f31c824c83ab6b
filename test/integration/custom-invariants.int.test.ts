/**
 * The spec's own guardrails, end to end through createAndon with the built-in example: CEL
 * invariants that hold, that refuse a call before it runs, that fail after an iteration and
 * escalate with their remediation (in the packet and the OTLP export), that stop the loop; a
 * CEL success predicate; and verify stages that stop at the first failing one.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exportBundleBytes } from '../../src/main/core/bundles/export'
import { importBundle } from '../../src/main/core/bundles/import'
import { loopToOtlp } from '../../src/main/core/otel/otlp'
import { validateSpecText } from '../../src/main/core/specs/load-spec'
import type { StoredEvent } from '../../src/shared/events'
import type { CustomInvariantSpec, LoopSpec, LoopSpecInput } from '../../src/shared/spec'
import { LoopSpecSchema } from '../../src/shared/spec'
import { exampleSpec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
beforeEach(async () => {
  andon = await tempAndon()
})
afterEach(() => andon.cleanup())

const TEMPLATE_MATH = readFileSync(join(exampleSpec('fix-the-tests').specPath, '..', 'workspaces', 'fix-the-tests', 'math.js'), 'utf8')

function withSpec(over: Partial<LoopSpecInput>, custom: Partial<CustomInvariantSpec>[] = []): { spec: LoopSpec; specPath: string } {
  const { spec, specPath } = exampleSpec('fix-the-tests')
  const parsed = LoopSpecSchema.parse({ ...spec, ...over, invariants: { ...spec.invariants, ...over.invariants, custom } })
  return { spec: parsed, specPath }
}

async function run(over: Partial<LoopSpecInput>, custom: Partial<CustomInvariantSpec>[] = []) {
  const { spec, specPath } = withSpec(over, custom)
  const loopId = await andon.supervisor.launch(spec, { specPath })
  await andon.supervisor.settled(loopId)
  const state = andon.store.loadState(loopId)
  return { loopId, state, events: andon.store.readStream(loopId), math: () => readFileSync(join(state.workspace!, 'math.js'), 'utf8') }
}

const checks = (events: StoredEvent[]) => events.flatMap((e) => (e.type === 'InvariantChecked' ? [e.data] : []))
const resultsFor = (events: StoredEvent[], name: string) => checks(events).flatMap((c) => c.results.filter((r) => r.name === name).map((r) => ({ iteration: c.iteration, ok: r.ok })))

describe('custom CEL invariants', () => {
  it('that hold are checked every iteration, beside the built-in ones, and the loop converges', async () => {
    const { state, events } = await run({}, [
      { name: 'math-only', when: 'before-call', expr: '!has(call.args.path) || call.args.path == "math.js"' },
      { name: 'few-errors', expr: 'state.errorStreak < 10 && state.usage.costUsd < 1.0' }
    ])
    expect(state.termination?.reason).toBe('SUCCESS')
    const iterations = checks(events).map((c) => c.iteration)
    for (const name of ['math-only', 'few-errors']) {
      const seen = resultsFor(events, name)
      expect(seen.map((r) => r.iteration)).toEqual(iterations)
      expect(seen.every((r) => r.ok)).toBe(true)
    }
    expect(resultsFor(events, 'no-looping').length).toBe(iterations.length)
  })

  it('that fails before a call refuses it: nothing runs, the policy sees why, and the operator is asked', async () => {
    const { state, events, math } = await run({}, [
      { name: 'math-is-frozen', when: 'before-call', expr: '!(call.tool == "replace_in_file" && call.args.path == "math.js")', remediation: 'math.js belongs to another team: ask them' }
    ])
    expect(state.status).toBe('escalated')
    expect(math()).toBe(TEMPLATE_MATH)
    expect(events.some((e) => e.type === 'ToolStarted' && e.data.tool === 'replace_in_file')).toBe(false)
    const rejected = events.find((e) => e.type === 'ActionRejected')
    expect(rejected?.type === 'ActionRejected' && rejected.data).toMatchObject({ by: 'invariant math-is-frozen', reason: expect.stringContaining('math.js belongs to another team') })
    expect(state.rejections.at(-1)?.reason).toContain('math.js belongs to another team')
    const packet = state.escalation!
    expect(packet.kind).toBe('invariant')
    expect(packet.failingInvariants[0]).toMatchObject({ name: 'math-is-frozen', remediation: 'math.js belongs to another team: ask them' })
    expect(packet.summary).toContain('the call was not run')
    // The packet offers to keep checking it without stopping; the operator takes that and resumes.
    const warnOnly = packet.suggestions.find((s) => s.ops?.some((o) => o.op === 'setSeverity'))
    expect(warnOnly?.label).toContain('math-is-frozen')
    await andon.supervisor.patch(state.loopId, { ops: warnOnly!.ops! }, 'owner said yes')
    const patched = andon.store.loadState(state.loopId)
    expect(patched.invariants.custom[0].severity).toBe('warn')
    // Relaxed, the invariant withdraws its refusal: the policy proposes the fix again, it runs, and its failure is only recorded.
    expect(patched.rejections).toEqual([])
    await andon.supervisor.resume(state.loopId)
    await andon.supervisor.settled(state.loopId)
    expect(andon.store.loadState(state.loopId).termination?.reason).toBe('SUCCESS')
    expect(math()).toContain('a + b')
    expect(resultsFor(andon.store.readStream(state.loopId), 'math-is-frozen').filter((r) => !r.ok).length).toBeGreaterThan(1)
  })

  it('that fails after an iteration escalates with its remediation, in the packet, the OTLP export and a bundle', async () => {
    const { state, events } = await run({}, [{ name: 'checks-stay-green', expr: 'observation.tool != "verify" || observation.ok', remediation: 'the checks must stay green: look at the failure' }])
    expect(state.status).toBe('escalated')
    expect(state.iteration).toBe(1)
    const failing = state.escalation!.failingInvariants.find((f) => f.name === 'checks-stay-green')
    expect(failing).toMatchObject({ remediation: 'the checks must stay green: look at the failure', history: [{ iteration: 1, ok: false }] })
    expect(failing!.detail).toContain('does not hold')
    const otlp = JSON.stringify(loopToOtlp(events, { serviceVersion: 'test' }))
    expect(otlp).toContain('"andon.invariant"')
    expect(otlp).toContain('checks-stay-green')
    // A bundle carries it: imported elsewhere, the loop keeps its invariant, its checks and its packet.
    const other = await tempAndon()
    try {
      const { loopIds } = await importBundle(other.store, exportBundleBytes(andon.store, { loopIds: [state.loopId], appVersion: 'test' }).bytes)
      const imported = other.store.loadState(loopIds[0])
      expect(imported.invariants.custom.map((c) => c.name)).toEqual(['checks-stay-green'])
      expect(imported.escalation?.failingInvariants[0].name).toBe('checks-stay-green')
      expect(resultsFor(other.store.readStream(loopIds[0]), 'checks-stay-green')).toEqual([{ iteration: 1, ok: false }])
    } finally {
      await other.cleanup()
    }
    // After a resume the operator can watch it pass: it is checked again, not forgotten.
    await andon.supervisor.resume(state.loopId)
    await andon.supervisor.settled(state.loopId)
    expect(resultsFor(andon.store.readStream(state.loopId), 'checks-stay-green').length).toBeGreaterThan(1)
  })

  it('of severity warn only records; of severity stop terminates the loop', async () => {
    const warned = await run({}, [{ name: 'no-red', expr: 'observation.tool != "verify" || observation.ok', severity: 'warn' }])
    expect(warned.state.termination?.reason).toBe('SUCCESS')
    expect(resultsFor(warned.events, 'no-red').some((r) => !r.ok)).toBe(true)

    const stopped = await run({}, [{ name: 'no-red', expr: 'observation.tool != "verify" || observation.ok', severity: 'stop' }])
    expect(stopped.state.termination).toMatchObject({ reason: 'FATAL_ERROR', detail: expect.stringContaining('invariant no-red failed') })
    expect(stopped.state.escalation).toBeNull()
  })

  it('a patch that changes an expression is type-checked like the spec, and refused naming the field', async () => {
    const { state } = await run({}, [{ name: 'checks-stay-green', expr: 'observation.tool != "verify" || observation.ok' }])
    const editable = { subgoal: state.subgoal, facts: state.facts, memory: state.memory, invariants: state.invariants }
    const broken = { ...editable, invariants: { ...editable.invariants, custom: [{ ...editable.invariants.custom[0], expr: 'observation.okay' }] } }
    await expect(andon.supervisor.patch(state.loopId, { ops: [{ op: 'replace', value: broken }] }, 'typo')).rejects.toThrow(
      'invariants.custom.0.expr: CEL error at line 1, column 13: No such key: okay'
    )
    const relaxed = { ...editable, invariants: { ...editable.invariants, custom: [{ ...editable.invariants.custom[0], expr: 'observation.tool != "verify" || observation.ok || state.iteration < 3' }] } }
    await andon.supervisor.patch(state.loopId, { ops: [{ op: 'replace', value: relaxed }] }, 'one more try')
    expect(andon.store.loadState(state.loopId).invariants.custom[0].expr).toContain('state.iteration < 3')
  })

  it("come before SUCCESS: work that breaks one has not succeeded, and the operator's fact then lets it", async () => {
    const example = exampleSpec('fix-the-tests').spec.policy
    if (example.kind !== 'rules') throw new Error('the example is a rules loop')
    const reviewed = { name: 'check again once reviewed', when: { factMatches: '^reviewed$' }, then: { tool: 'verify', args: {} }, confidence: 0.9 }
    const { state } = await run({ policy: { ...example, rules: [...example.rules, reviewed] } }, [
      { name: 'reviewed-before-done', expr: 'observation.tool != "verify" || !observation.ok || state.facts.exists(f, f == "reviewed")', remediation: 'a human reviews the fix first: add the fact "reviewed"' }
    ])
    expect(state.status).toBe('escalated')
    expect(state.escalation!.failingInvariants.map((f) => f.name)).toEqual(['reviewed-before-done'])
    expect(state.lastObservation).toMatchObject({ tool: 'verify', ok: true })
    await andon.supervisor.patch(state.loopId, { ops: [{ op: 'addFact', fact: 'reviewed' }] }, 'looked at it')
    await andon.supervisor.resume(state.loopId)
    await andon.supervisor.settled(state.loopId)
    expect(andon.store.loadState(state.loopId).termination?.reason).toBe('SUCCESS')
  })

  it('of severity stop that cannot be evaluated asks an operator rather than ending the loop', async () => {
    const { state } = await run({}, [{ name: 'no-x', when: 'before-call', expr: 'call.args.path != "x"', severity: 'stop' }])
    expect(state.status).toBe('escalated')
    expect(state.termination).toBeNull()
    expect(state.escalation!.failingInvariants[0]).toMatchObject({ name: 'no-x', detail: expect.stringContaining('could not be evaluated') })
  })

  it('an expression that cannot be evaluated fails closed', async () => {
    const { state } = await run({}, [{ name: 'reads-a-missing-arg', when: 'before-call', expr: 'call.args.path != "x"' }])
    // verify takes no arguments: call.args.path does not exist, so the first call is refused.
    expect(state.status).toBe('escalated')
    expect(state.escalation!.failingInvariants[0].detail).toContain('could not be evaluated (No such key: path)')
  })
})

describe('termination', () => {
  it('a CEL success predicate ends the loop with SUCCESS when it holds', async () => {
    const { state, events } = await run({
      policy: { kind: 'rules', rules: [{ name: 'look', when: {}, then: { tool: 'read_file', args: { path: 'math.js' } } }] },
      termination: { success: 'observation.tool == "read_file" && observation.ok && observation.excerpt.contains("exports.add")' }
    })
    expect(state.termination).toEqual({ reason: 'SUCCESS', detail: 'termination.success held at iteration 1' })
    expect(events.some((e) => e.type === 'ToolStarted' && e.data.tool === 'verify')).toBe(false)
  })

  it('a success predicate that cannot be evaluated is recorded every iteration, not silently false', async () => {
    const { state, events } = await run({
      policy: { kind: 'rules', rules: [{ name: 'look', when: {}, then: { tool: 'read_file', args: { path: 'math.js' } } }] },
      invariants: { maxIterations: 3, sameActionLimit: 10, progressEvery: 10 },
      termination: { success: 'state.memory.done == true' }
    })
    expect(state.termination?.reason).toBe('MAX_ITERATIONS')
    const seen = resultsFor(events, 'success-predicate')
    expect(seen).toEqual([1, 2, 3].map((iteration) => ({ iteration, ok: false })))
    const detail = checks(events)[0].results.find((r) => r.name === 'success-predicate')!.detail
    expect(detail).toBe('could not be evaluated (No such key: done): state.memory.done == true')
  })

  it('verify stages run in order and stop at the first that fails, naming it', async () => {
    const { state, events } = await run({
      termination: {
        verify: [
          { name: 'lint', command: 'echo lint-ran' },
          { name: 'unit', command: 'node verify.js' },
          { name: 'integration', command: 'echo integration-ran' }
        ]
      }
    })
    expect(state.termination?.reason).toBe('SUCCESS')
    const observed = events.flatMap((e) => (e.type === 'Observed' && e.data.observation.tool === 'verify' ? [e.data.observation] : []))
    expect(observed[0].summary).toMatch(/^verify: stage unit \(2 of 3\) failed: node verify\.js: exit 1/)
    expect(observed.at(-1)!.summary).toBe('verify: all 3 stages passed (lint, unit, integration)')
    const outputOf = (callId: string) => events.flatMap((e) => (e.type === 'ToolOutput' && e.data.callId === callId ? [e.data.chunk] : [])).join('')
    const verifyCalls = events.flatMap((e) => (e.type === 'ToolStarted' && e.data.tool === 'verify' ? [e.data.callId] : []))
    expect(outputOf(verifyCalls[0])).toContain('lint-ran')
    expect(outputOf(verifyCalls[0])).not.toContain('integration-ran')
    expect(outputOf(verifyCalls.at(-1)!)).toContain('integration-ran')
  })
})

describe('spec validation', () => {
  const text = (extra: string) => readFileSync(exampleSpec('fix-the-tests').specPath, 'utf8').replace(/^invariants:\n/m, `invariants:\n${extra}`)
  const errors = (yaml: string) => {
    const v = validateSpecText(yaml)
    return v.ok ? [] : v.errors
  }

  it('names the field and the position of a CEL syntax or type error', () => {
    expect(errors(text('  custom:\n    - name: typo\n      expr: state.iteratio > 1\n'))).toEqual([
      { path: 'invariants.custom.0.expr', message: 'CEL error at line 1, column 7: No such key: iteratio' }
    ])
    expect(errors(text('  custom:\n    - name: cut\n      expr: "state.iteration <"\n'))[0].message).toBe('CEL error at line 1, column 18: Unexpected token: EOF')
    expect(errors(text('  custom:\n    - name: sum\n      expr: state.iteration + "a" == 1\n'))[0].message).toMatch(/no such overload: int \+ string/)
  })

  it('refuses a non-boolean expression, a built-in name and a repeated name', () => {
    const got = errors(text('  custom:\n    - name: budget\n      expr: "1 == 1"\n    - name: a\n      expr: state.subgoal\n    - name: a\n      expr: "true"\n'))
    expect(got).toEqual([
      { path: 'invariants.custom.0.name', message: '"budget" is a built-in invariant: choose another name' },
      { path: 'invariants.custom.1.expr', message: 'CEL error at line 1, column 1: the expression is a string, not a bool (true or false)' },
      { path: 'invariants.custom.2.name', message: 'another invariant is already named "a"' }
    ])
  })

  it('checks the success predicate and refuses verify stages beside a verify command', () => {
    const yaml = readFileSync(exampleSpec('fix-the-tests').specPath, 'utf8')
    expect(errors(yaml.replace('  verifyCommand: node verify.js', '  verifyCommand: node verify.js\n  success: observation.okk'))).toEqual([
      { path: 'termination.success', message: 'CEL error at line 1, column 13: No such key: okk' }
    ])
    expect(errors(yaml.replace('  verifyCommand: node verify.js', '  verifyCommand: node verify.js\n  verify: [{ name: unit, command: npm test }]'))).toEqual([
      { path: 'termination.verify', message: 'use verifyCommand or verify stages, not both' }
    ])
  })
})
