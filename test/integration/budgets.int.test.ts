/**
 * Budgets that hold: an unknown model cannot slip past a USD budget, a decision that already
 * spent the budget does not get to run its call, the offered raise is above what was spent, and
 * a daily-budget stop offers to raise the daily limit (recorded, kept across restarts).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import type { SuggestedIntervention } from '../../src/shared/escalation'
import { toolUse } from '../support/scripted-server'
import { scriptedServerPerFile } from '../support/scripted-server/per-file'
import { spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'

const KEY = 'sk-ant-budget-0123456789abcdef'
const scripted = scriptedServerPerFile(KEY)
let andon: Awaited<ReturnType<typeof tempAndon>> | null = null

afterEach(async () => {
  await andon?.cleanup()
  andon = null
})

const claude = (extra: { model?: string; pricing?: { inputPerMTok: number; outputPerMTok: number }; usd?: number } = {}) =>
  spec({
    policy: {
      kind: 'anthropic',
      model: extra.model ?? 'claude-sonnet-4-5',
      ...(extra.pricing ? { pricing: extra.pricing } : {}),
      baseUrl: scripted.server.anthropicBaseUrl,
      timeoutMs: 5_000
    },
    invariants: { budget: extra.usd === undefined ? {} : { usd: extra.usd } },
    termination: { verifyCommand: 'true' }
  })

describe('budgets that hold', () => {
  it('refuses to launch an unknown model under a USD budget unless the spec prices it, and says how to fix it', async () => {
    setSharedBackpressure(new Backpressure())
    andon = await tempAndon({ env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
    await expect(andon.supervisor.launch(claude({ model: 'claude-next-7', usd: 1 }))).rejects.toThrow(
      /no price is known for model "claude-next-7", so the loop's USD budget \(\$1\) cannot be enforced: add policy.pricing/
    )
    expect(await andon.handlers.listLoops({})).toEqual([])
    // Priced in the spec, it launches.
    scripted.server.anthropic.enqueue(toolUse('verify', {}))
    const id = await andon.supervisor.launch(claude({ model: 'claude-next-7', usd: 1, pricing: { inputPerMTok: 4, outputPerMTok: 20 } }))
    await andon.supervisor.settled(id)
    expect(andon.supervisor.liveState(id).usage.costUsd).toBeCloseTo((1200 * 4 + 80 * 20) / 1e6, 10)

    // Without a budget it launches; a patch that adds a USD budget to it is refused.
    scripted.server.anthropic.enqueue(toolUse('deploy', {}))
    const open = await andon.supervisor.launch(claude({ model: 'claude-next-7' }))
    await andon.supervisor.settled(open)
    expect(andon.supervisor.liveState(open).status).toBe('escalated')
    await expect(
      andon.handlers.patchState({ loopId: open, patch: { ops: [{ op: 'setBudget', budget: { usd: 5 } }] }, why: 'cap it' })
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/no price is known for model "claude-next-7"/) })
  })

  it('the daily budget counts as a USD budget for an unknown model, too', async () => {
    setSharedBackpressure(new Backpressure({ dailyBudgetUsd: 10 }))
    andon = await tempAndon({ env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
    await expect(andon.supervisor.launch(claude({ model: 'claude-next-7' }))).rejects.toThrow(/the daily budget \(\$10\) cannot be enforced/)
  })

  it('a decision that spent the budget does not run its call; the raise offered is above the spend, and the held call runs after it', async () => {
    setSharedBackpressure(new Backpressure())
    andon = await tempAndon({ env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
    // One answer costs 200k × $3 + 20k × $15 per million = $0.90, over a $0.50 budget.
    scripted.server.anthropic.enqueue(toolUse('write_file', { path: 'out.txt', content: 'x' }, { inputTokens: 200_000, outputTokens: 20_000 }), toolUse('verify', {}))
    const loopId = await andon.supervisor.launch(claude({ usd: 0.5 }))
    await andon.supervisor.settled(loopId)
    const s = andon.supervisor.liveState(loopId)
    expect(s.status).toBe('escalated')
    expect(s.escalation?.kind).toBe('budget')
    expect(s.escalation?.summary).toMatch(/cost \$0\.9000 ≥ budget \$0\.5; the proposed call was not run/)
    expect(s.pendingCall?.action.tool).toBe('write_file')
    expect(andon.store.readStream(loopId).some((e) => e.type === 'ToolStarted')).toBe(false)

    const raise = s.escalation!.suggestions.find((x) => x.label.startsWith('Raise the budget')) as SuggestedIntervention
    expect(raise.label).toBe('Raise the budget: USD 0.5 → 1.4 (spent 0.90)')
    expect(raise.ops).toEqual([{ op: 'setBudget', budget: { usd: 1.4 } }])
    await andon.handlers.patchState({ loopId, patch: { ops: raise.ops! }, why: raise.label })
    await andon.handlers.resumeLoop({ loopId })
    await andon.supervisor.settled(loopId)
    const events = andon.store.readStream(loopId)
    expect(events.filter((e) => e.type === 'ToolStarted').map((e) => (e as { data: { tool: string } }).data.tool)).toEqual(['write_file', 'verify'])
    expect(andon.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
  })

  it("a daily-budget stop offers to raise today's limit; raising it is recorded, resumes the loop, and outlives a restart", async () => {
    const dataDir = tempDir()
    setSharedBackpressure(new Backpressure({ dailyBudgetUsd: 0.001 }))
    andon = await tempAndon({ dataDir, env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
    scripted.server.anthropic.enqueue(toolUse('read_file', { path: 'x' }), toolUse('verify', {}))
    const loopId = await andon.supervisor.launch(claude())
    await andon.supervisor.settled(loopId)
    let s = andon.supervisor.liveState(loopId)
    expect(s.escalation?.failingInvariants.map((f) => f.name)).toContain('daily-budget')
    // The stop happened before the second call: that iteration is decided again, not used up.
    expect(s.decidingIteration).toBe(2)
    const raise = s.escalation!.suggestions.find((x) => x.command === 'set-daily-budget')!
    expect(raise.dailyBudgetUsd).toBeGreaterThan(0.0048)
    expect(s.escalation!.suggestions.some((x) => x.label.startsWith('Raise the budget'))).toBe(false)

    const set = await andon.handlers.setDailyBudget({ usd: raise.dailyBudgetUsd!, why: raise.label })
    expect(set).toMatchObject({ limitUsd: raise.dailyBudgetUsd, setBy: 'operator', why: raise.label })
    await andon.handlers.resumeLoop({ loopId })
    await andon.supervisor.settled(loopId)
    s = andon.supervisor.liveState(loopId)
    expect(s.termination?.reason).toBe('SUCCESS')
    expect(s.iteration).toBe(2)
    await andon.close()

    // A restart keeps the limit the operator set, over the process's own configuration.
    setSharedBackpressure(new Backpressure({ dailyBudgetUsd: 0.001 }))
    andon = await tempAndon({ dataDir, env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
    expect(await andon.handlers.getDailyBudget({})).toMatchObject({ limitUsd: raise.dailyBudgetUsd, setBy: 'operator' })
  })
})
