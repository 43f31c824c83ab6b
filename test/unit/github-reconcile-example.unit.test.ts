import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ruleMatches } from '../../src/main/core/policies/rules'
import { validateSpecText } from '../../src/main/core/specs/load-spec'
import { githubTools } from '../../src/main/core/tools/github'
import { LoopSpecSchema } from '../../src/shared/spec'
import { initialState, type LoopState } from '../../src/shared/state'
import { examplesDir } from '../support/specs'

const text = readFileSync(join(examplesDir, 'github-reconcile.yaml'), 'utf8')

describe('github-reconcile example spec', () => {
  it('validates against LoopSpecSchema and names only GitHub tools that exist', () => {
    const v = validateSpecText(text)
    if (!v.ok) throw new Error(JSON.stringify(v.errors))
    const spec = LoopSpecSchema.parse(v.spec)
    expect(spec.policy.kind).toBe('rules')
    expect(spec.termination.successTool).toBe('github_ci_status')
    expect(spec.secrets).toContain('GITHUB_TOKEN')
    const names = new Set(githubTools.map((t) => t.name))
    for (const t of spec.tools) expect(names).toContain(t.name)
    if (spec.policy.kind !== 'rules') throw new Error('rules expected')
    for (const r of spec.policy.rules) {
      const tool = githubTools.find((t) => t.name === r.then.tool)!
      expect(tool.input.safeParse(r.then.args).success).toBe(true)
    }
  })

  it('maps actual CI state to the right action', () => {
    const v = validateSpecText(text)
    if (!v.ok || v.spec.policy.kind !== 'rules') throw new Error('bad spec')
    const rules = v.spec.policy.rules
    const decide = (obs: LoopState['lastObservation']) => rules.find((r) => ruleMatches(r, { ...initialState('x'), lastObservation: obs }))?.then.tool
    const ci = (state: string) => ({ tool: 'github_ci_status', ok: state === 'success', exitCode: 1, summary: '', excerpt: `state: ${state}\nref: main` })
    expect(decide(null)).toBe('github_ci_status')
    expect(decide(ci('failure'))).toBe('github_open_issue')
    expect(decide(ci('pending'))).toBe('github_ci_status')
    expect(decide({ tool: 'github_open_issue', ok: true, exitCode: 0, summary: '', excerpt: 'opened issue #3' })).toBe('github_ci_status')
    // A failed GitHub call matches no rule: the loop stops and asks instead of guessing.
    expect(decide({ tool: 'github_open_issue', ok: false, exitCode: null, summary: '', excerpt: 'GitHub rejected the token' })).toBeUndefined()
  })
})
