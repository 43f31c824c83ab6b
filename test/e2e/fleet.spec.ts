/**
 * The fleet view against the real core: loops with known outcomes (three converged, one hit its
 * iteration cap, one escalation aborted, one still open, one paid for), figures the test works out
 * from the loops' own records, the view following new loops as they run, and the daily limit set
 * and removed from the page and recorded with who and why.
 */
import { stringify } from 'yaml'
import { contract } from '../../src/shared/contract'
import { launchByName, PRICED_AGENT, pricedSpec, untilStatus } from './core-loops'
import { expect, test } from './fixtures'

const checks = (name: string, verifyCommand: string, maxIterations: number) =>
  stringify({
    name,
    task: `Run the checks of ${name}.`,
    policy: { kind: 'rules', rules: [{ name: 'check', when: {}, then: { tool: 'verify' } }] },
    tools: [{ name: 'verify' }],
    invariants: { maxIterations, sameActionLimit: 10 },
    termination: { successTool: 'verify', verifyCommand }
  })

test.use({
  specs: {
    specs: {
      'quick-win.yaml': checks('quick-win', 'true', 3),
      'never-green.yaml': checks('never-green', 'false', 2),
      'priced-win.yaml': pricedSpec('priced-win', 0.5)
    },
    files: { 'agent/agent.mjs': PRICED_AGENT }
  }
})

/** Linear interpolation between the closest ranks, worked out here apart from the app's helper. */
function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (s.length - 1)
  const below = s[Math.floor(rank)]
  return below + (s[Math.ceil(rank)] - below) * (rank - Math.floor(rank))
}

test('the fleet view shows figures worked out from the loops, follows new runs, and sets the daily limit', async ({ app: page, served }) => {
  const { andon } = served
  const converged: string[] = []
  for (const name of ['fix-the-tests', 'quick-win', 'priced-win']) {
    const id = await launchByName(andon, name)
    await untilStatus(andon, id, 'terminated')
    converged.push(id)
  }
  const capped = await launchByName(andon, 'never-green')
  await untilStatus(andon, capped, 'terminated')
  const aborted = await launchByName(andon, 'stuck-needs-a-hint')
  await untilStatus(andon, aborted, 'escalated')
  await andon.handlers.cancelLoop(contract.cancelLoop.input.parse({ loopId: aborted }))
  await untilStatus(andon, aborted, 'terminated')
  const open = await launchByName(andon, 'stuck-needs-a-hint')
  await untilStatus(andon, open, 'escalated')

  // What the records say, read back through the same commands any client has.
  const loops = await andon.handlers.listLoops({})
  expect(loops).toHaveLength(6)
  const byId = new Map(loops.map((l) => [l.loopId, l]))
  expect(converged.map((id) => byId.get(id)!.terminationReason)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS'])
  expect(byId.get(capped)!.terminationReason).toBe('MAX_ITERATIONS')
  expect(byId.get(aborted)!.terminationReason).toBe('STALLED')
  const iterations = converged.map((id) => byId.get(id)!.iteration)
  expect(iterations).toEqual([5, 1, 1])
  const { events: abortedEvents } = await andon.handlers.getEvents(contract.getEvents.input.parse({ loopId: aborted }))
  const raisedAt = abortedEvents.find((e) => e.type === 'Escalated')!.at
  const answeredAt = abortedEvents.find((e) => e.type === 'EscalationResolved')!.at
  const spentUsd = loops.reduce((sum, l) => sum + l.costUsd, 0)
  expect(spentUsd).toBe(0.5)

  await page.getByTestId('nav-fleet').click()
  const fleet = page.getByTestId('fleet')
  await expect(fleet.getByTestId('fleet-total')).toHaveText('6')
  await expect(fleet.getByTestId('fleet-status-terminated')).toHaveText('5')
  await expect(fleet.getByTestId('fleet-status-escalated')).toHaveText('1')
  await expect(fleet.getByTestId('fleet-finished-SUCCESS')).toHaveText('3')
  await expect(fleet.getByTestId('fleet-finished-MAX_ITERATIONS')).toHaveText('1')
  await expect(fleet.getByTestId('fleet-finished-STALLED')).toHaveText('1')
  await expect(fleet.getByTestId('fleet-convergence-rate')).toHaveText(`${Math.round((3 / 5) * 100)}%`)
  await expect(fleet.getByTestId('fleet-convergence')).toContainText('3 of 5 finished loops ended in SUCCESS')
  await expect(fleet.getByTestId('fleet-iterations-p50')).toHaveText(String(pct(iterations, 50)))
  await expect(fleet.getByTestId('fleet-iterations-p95')).toHaveText(pct(iterations, 95).toFixed(1))
  await expect(fleet.getByTestId('fleet-escalations-open')).toHaveText('1')
  await expect(fleet.getByTestId('fleet-escalations')).toContainText('1 answered')
  const wait = answeredAt - raisedAt
  const waitText = wait < 1000 ? `${wait}ms` : `${(Math.floor(wait / 100) / 10).toFixed(1)}s`
  await expect(fleet.getByTestId('fleet-resolve-p50')).toHaveText(waitText)
  await expect(fleet.getByTestId('fleet-resolve-p95')).toHaveText(waitText)
  await expect(fleet.getByTestId('fleet-spend-today')).toHaveText('$0.50')
  await expect(fleet.getByTestId('fleet-budget-limit')).toHaveText('no daily limit')

  // The chart: one bar a day, today's last, holding today's spend; 30 days on request.
  const today = new Date().toISOString().slice(0, 10)
  const bars = fleet.getByTestId('spend-bar')
  await expect(bars).toHaveCount(14)
  await expect(bars.last()).toHaveAttribute('data-day', today)
  await expect(bars.last()).toHaveAttribute('data-usd', '0.5')
  await fleet.getByTestId('fleet-days-30').click()
  await expect(bars).toHaveCount(30)
  await expect(fleet.getByTestId('fleet-spend-total')).toHaveText('$0.50 in 30 days')

  // A loop that runs while the view is open is counted without a reload.
  const another = await launchByName(andon, 'quick-win')
  await untilStatus(andon, another, 'terminated')
  await expect(fleet.getByTestId('fleet-total')).toHaveText('7')
  await expect(fleet.getByTestId('fleet-convergence-rate')).toHaveText(`${Math.round((4 / 6) * 100)}%`)
  await expect(fleet.getByTestId('fleet-iterations-p50')).toHaveText(String(pct([...iterations, 1], 50)))

  // The daily limit: a reason is required, the amount must be one, then it is recorded.
  await fleet.getByTestId('budget-input').fill('7.5')
  await fleet.getByTestId('budget-set').click()
  await expect(fleet.getByTestId('budget-error')).toHaveText('say why the limit changes')
  await fleet.getByTestId('budget-input').fill('lots')
  await fleet.getByTestId('budget-why').fill('quarter-end runs')
  await fleet.getByTestId('budget-set').click()
  await expect(fleet.getByTestId('budget-error')).toHaveText('"lots" is not an amount above $0')
  await fleet.getByTestId('budget-input').fill('7.5')
  await fleet.getByTestId('budget-set').click()
  await expect(fleet.getByTestId('fleet-budget-limit')).toHaveText('$7.50')
  await expect(fleet.getByTestId('fleet-budget-set-by')).toContainText('Set by operator on ')
  await expect(fleet.getByTestId('fleet-budget-set-by')).toContainText(': quarter-end runs')
  await expect(fleet.getByTestId('spend-chart-limit')).toHaveCount(1)
  expect(andon.store.settings.latest('dailyBudgetUsd')).toMatchObject({ value: 7.5, by: 'operator', why: 'quarter-end runs' })
  expect(await andon.handlers.getDailyBudget({})).toMatchObject({ limitUsd: 7.5, spentTodayUsd: 0.5 })

  await fleet.getByTestId('budget-why').fill('back to no cap')
  await fleet.getByTestId('budget-clear').click()
  await expect(fleet.getByTestId('fleet-budget-limit')).toHaveText('no daily limit')
  await expect(fleet.getByTestId('fleet-budget-set-by')).toContainText(': back to no cap')
  await expect(fleet.getByTestId('spend-chart-limit')).toHaveCount(0)
  expect(andon.store.settings.history('dailyBudgetUsd').map((e) => [e.value, e.why])).toEqual([
    [null, 'back to no cap'],
    [7.5, 'quarter-end runs']
  ])

  // The view has its address.
  await expect(page).toHaveURL(/#\/fleet$/)
})

test('the packet names a failed run\'s root cause with a link to its first failing iteration, and the fleet view counts failures by root cause', async ({ app: page, served }) => {
  const { andon } = served
  const capped = await launchByName(andon, 'never-green')
  await untilStatus(andon, capped, 'terminated')
  const aborted = await launchByName(andon, 'stuck-needs-a-hint')
  await untilStatus(andon, aborted, 'escalated')
  await andon.handlers.cancelLoop(contract.cancelLoop.input.parse({ loopId: aborted }))
  await untilStatus(andon, aborted, 'terminated')
  const open = await launchByName(andon, 'stuck-needs-a-hint')
  await untilStatus(andon, open, 'escalated')

  // The root causes as recorded: each escalation once, a termination that is not an abort once.
  const recorded: string[] = []
  for (const id of [capped, aborted, open]) {
    const { events } = await andon.handlers.getEvents(contract.getEvents.input.parse({ loopId: id }))
    events.forEach((e, i) => {
      const prev = events[i - 1]
      if (e.type === 'Escalated' && e.data.packet.rootCause) recorded.push(e.data.packet.rootCause.category)
      if (e.type === 'Terminated' && e.data.rootCause && !(prev?.type === 'EscalationResolved' && prev.data.resolution === 'abort')) recorded.push(e.data.rootCause.category)
    })
  }
  expect(recorded.sort()).toEqual(['budget', 'looping', 'looping'])
  const { events: openEvents } = await andon.handlers.getEvents(contract.getEvents.input.parse({ loopId: open }))
  const cause = openEvents.flatMap((e) => (e.type === 'Escalated' && e.data.packet.rootCause ? [e.data.packet.rootCause] : []))[0]

  // The packet: category, invariant, detail, and the first failing iteration as a link to it.
  await page.getByTestId('nav-inbox').click()
  await page.locator(`[data-testid="inbox-item"][data-loop-id="${open}"]`).click()
  const rootCause = page.getByTestId('escalation-view').getByTestId('root-cause')
  await expect(rootCause.getByTestId('root-cause-category')).toHaveText('Looping')
  await expect(rootCause.getByTestId('root-cause-invariant')).toHaveText('no-looping')
  await expect(rootCause.getByTestId('root-cause-detail')).toHaveText(cause.detail)
  const link = rootCause.getByTestId('root-cause-iteration')
  await expect(link).toHaveText(`iteration ${cause.firstFailingIteration}`)
  await link.click()
  await expect(page.getByTestId('iteration-detail')).toHaveAttribute('data-iteration', String(cause.firstFailingIteration))

  // The fleet view: counts by category over the window, the dominant one named, today's stacked bar.
  await page.getByTestId('nav-fleet').click()
  const failures = page.getByTestId('fleet-failures')
  await expect(failures.getByTestId('fleet-failures-total')).toHaveText('3 in 14 days')
  await expect(failures.getByTestId('fleet-failures-looping')).toHaveText('2')
  await expect(failures.getByTestId('fleet-failures-budget')).toHaveText('1')
  await expect(failures.getByTestId('fleet-failures-dominant')).toHaveText('Most stops: Looping (2 of 3)')
  const today = new Date().toISOString().slice(0, 10)
  await expect(failures.locator(`[data-testid="failure-bar"][data-day="${today}"][data-category="looping"]`)).toHaveAttribute('data-count', '2')
  await expect(failures.locator(`[data-testid="failure-bar"][data-day="${today}"][data-category="budget"]`)).toHaveAttribute('data-count', '1')
})
