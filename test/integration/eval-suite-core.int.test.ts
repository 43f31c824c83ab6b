/**
 * The eval runner in the core (what `andon eval` and the GUI call): start state from the case,
 * expected outcomes other than SUCCESS, repetitions, tags and archiving, on a real store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runSuite } from '../../src/main/core/eval/run-suite'
import { parseSuite } from '../../src/main/core/eval/suite'
import { listedLoops } from '../../src/main/core/store/listed-loops'
import { exampleSpec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>>
beforeEach(async () => {
  andon = await tempAndon()
})
afterEach(() => andon.cleanup())

const suite = parseSuite(
  `
name: stuck, as expected
cases:
  - name: hinted
    facts: [region is eu-west-1]
    subgoal: start from the operator's hint
    memory: { tries: 2, seen: [mars-1] }
  - name: no hint
    expect: { outcome: escalated }
    label: must ask for the region
`,
  '/nowhere/stuck.eval.yaml'
)

describe('runSuite', () => {
  it("starts each run from its case's state and passes a run whose outcome is the expected one", async () => {
    const { results, report } = await runSuite(andon, suite, exampleSpec('stuck-needs-a-hint'), { repetitions: 2 })
    expect(results.map((r) => `${r.name} #${r.repetition}: ${r.outcome} ${r.passed ? 'pass' : 'fail'}`)).toEqual([
      'hinted #1: SUCCESS pass',
      'no hint #1: escalated pass',
      'hinted #2: SUCCESS pass',
      'no hint #2: escalated pass'
    ])
    expect(report).toMatchObject({ cases: 4, converged: 2, convergenceRate: 0.5, matched: 4, passRate: 1 })

    const hinted = andon.supervisor.liveState(results[0].loopId)
    expect(hinted.facts).toContain('region is eu-west-1')
    expect(hinted.memory).toMatchObject({ tries: 2, seen: ['mars-1'] })
    const patch = andon.store.readStream(results[0].loopId).find((e) => e.type === 'StatePatched')
    expect(patch?.type === 'StatePatched' && patch.data.patch.ops).toContainEqual({ op: 'setSubgoal', subgoal: "start from the operator's hint" })

    // The escalated run was closed (nothing waits in the inbox) and every run archived with its tags.
    expect(andon.supervisor.inbox()).toEqual([])
    expect(listedLoops(andon.store)).toEqual([])
    const archived = listedLoops(andon.store, { archived: true })
    expect(archived).toHaveLength(4)
    expect(archived.every((l) => l.tags.join(' ') === 'eval suite:stuck-as-expected')).toBe(true)
  })

  it('with archive off the runs stay in the list', async () => {
    const one = parseSuite('cases: [{ name: hinted, facts: [region is eu-west-1] }]', '/nowhere/one.yaml')
    const { results } = await runSuite(andon, one, exampleSpec('stuck-needs-a-hint'), { archive: false })
    expect(listedLoops(andon.store).map((l) => [l.loopId, l.tags])).toEqual([[results[0].loopId, ['eval', 'suite:one.yaml']]])
  })
})
