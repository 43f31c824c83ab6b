/**
 * The loops list at scale of a day's work, against the real core: loops of different specs,
 * policies, tags and costs, a fork, a cancelled and a waiting one; searched, filtered and sorted
 * in the list, with times on rows and iterations, and the timeline worked from the keyboard.
 */
import type { Page } from '@playwright/test'
import { stringify } from 'yaml'
import { contract } from '../../src/shared/contract'
import { launchByName, PRICED_AGENT, pricedSpec, untilStatus } from './core-loops'
import { expect, test } from './fixtures'

test.use({
  specs: {
    specs: {
      'alpha-web.yaml': stringify({
        name: 'alpha-web',
        task: 'Tidy the alpha workspace.',
        tags: ['team:web', 'nightly'],
        policy: { kind: 'rules', rules: [{ name: 'check', when: {}, then: { tool: 'verify' } }] },
        tools: [{ name: 'verify' }],
        invariants: { maxIterations: 3 },
        termination: { successTool: 'verify', verifyCommand: 'true' }
      }),
      'beta-priced.yaml': pricedSpec('beta-priced', 0.75, ['team:data']),
      'gamma-priced.yaml': pricedSpec('gamma-priced', 0.25, ['team:data']),
      'delta-slow.yaml': stringify({
        name: 'delta-slow',
        task: 'Think for a long time.',
        policy: { kind: 'rules', delayMs: 60000, rules: [{ name: 'check', when: {}, then: { tool: 'verify' } }] },
        tools: [{ name: 'verify' }],
        invariants: { maxIterations: 3 },
        termination: { successTool: 'verify', verifyCommand: 'true' }
      }),
      'epsilon-gated.yaml': stringify({
        name: 'epsilon-gated',
        task: 'Wait for a human to approve the checks.',
        autonomy: 'approve-every-action',
        policy: { kind: 'rules', rules: [{ name: 'check', when: {}, then: { tool: 'verify' } }] },
        tools: [{ name: 'verify' }],
        invariants: { maxIterations: 3 },
        termination: { successTool: 'verify', verifyCommand: 'true' }
      })
    },
    files: { 'agent/agent.mjs': PRICED_AGENT }
  }
})

/** The loop ids of the rows on screen, top to bottom. */
async function shownRows(page: Page): Promise<string[]> {
  const rows = page.getByTestId('loop-row')
  const boxes = await rows.evaluateAll((els) => els.map((el) => ({ id: el.getAttribute('data-loop-id') ?? '', top: el.getBoundingClientRect().top })))
  return boxes.sort((a, b) => a.top - b.top).map((b) => b.id)
}

test('search, filters and sort find loops in the list, with their times, lineage and forks', async ({ app: page, served }) => {
  const { andon } = served
  const ids: Record<string, string> = {}
  for (const name of ['fix-the-tests', 'alpha-web', 'beta-priced', 'gamma-priced']) {
    ids[name] = await launchByName(andon, name)
    await untilStatus(andon, ids[name], 'terminated')
  }
  ids['delta-slow'] = await launchByName(andon, 'delta-slow')
  await expect.poll(() => andon.supervisor.liveState(ids['delta-slow']).iteration).toBe(1)
  await andon.handlers.cancelLoop(contract.cancelLoop.input.parse({ loopId: ids['delta-slow'] }))
  await untilStatus(andon, ids['delta-slow'], 'terminated')
  ids['epsilon-gated'] = await launchByName(andon, 'epsilon-gated')
  await untilStatus(andon, ids['epsilon-gated'], 'awaiting-approval')
  const fork = await andon.handlers.forkLoop(contract.forkLoop.input.parse({ loopId: ids['alpha-web'], atVersion: 2, start: false }))

  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText('connected')
  const list = page.getByTestId('loops-list')
  await expect(list.getByTestId('loops-count')).toHaveText('Loops (7)')
  const all = Object.values(ids).length + 1
  await expect(page.getByTestId('loop-row')).toHaveCount(all)

  // Search: by name, by words of the task (the fork has its parent's task), by loop id.
  const search = page.getByTestId('loops-search')
  await search.fill('GAMMA')
  expect(await shownRows(page)).toEqual([ids['gamma-priced']])
  await expect(list.getByTestId('loops-count')).toHaveText('Loops (1 of 7)')
  await search.fill('alpha workspace')
  expect(await shownRows(page)).toEqual([fork.loopId, ids['alpha-web']])
  await search.fill(ids['beta-priced'])
  expect(await shownRows(page)).toEqual([ids['beta-priced']])
  await search.fill('no such loop')
  await expect(page.getByTestId('loops-none-match')).toBeVisible()
  await search.fill('')

  // Filters: how a loop ended, what needs the operator, policy, tag.
  const status = page.getByTestId('filter-status')
  await status.selectOption('finished:CANCELLED')
  expect(await shownRows(page)).toEqual([ids['delta-slow']])
  await status.selectOption('attention')
  expect(await shownRows(page)).toEqual([ids['epsilon-gated']])
  await status.selectOption('finished:SUCCESS')
  expect(new Set(await shownRows(page))).toEqual(new Set([ids['fix-the-tests'], ids['alpha-web'], ids['beta-priced'], ids['gamma-priced']]))
  await status.selectOption('all')
  await page.getByTestId('filter-policy').selectOption('process')
  expect(new Set(await shownRows(page))).toEqual(new Set([ids['beta-priced'], ids['gamma-priced']]))
  await page.getByTestId('filter-policy').selectOption('')
  await page.getByTestId('filter-tag').selectOption('team:web')
  expect(await shownRows(page)).toEqual([fork.loopId, ids['alpha-web']])
  await page.getByTestId('filter-tag').selectOption('')

  // Sort by cost: what each agent reported it spent, most first.
  await page.getByTestId('sort-loops').selectOption('cost')
  expect((await shownRows(page)).slice(0, 2)).toEqual([ids['beta-priced'], ids['gamma-priced']])
  const beta = page.locator(`[data-testid="loop-row"][data-loop-id="${ids['beta-priced']}"]`)
  await expect(beta.getByTestId('loop-cost')).toHaveText('$0.75')
  await expect(beta.getByTestId('loop-tag')).toHaveText(['team:data'])

  // Every row has its times: created (a clock time today), last change, and how long a finished loop took.
  await expect(beta.getByTestId('loop-created')).toHaveText(/^\d\d:\d\d:\d\d$/)
  await expect(beta.getByTestId('loop-updated')).toHaveText(/^updated (just now|\d+s ago)$/)
  await expect(beta.getByTestId('loop-duration')).toHaveText(/^took \d/)
  const notStarted = page.locator(`[data-testid="loop-row"][data-loop-id="${fork.loopId}"]`)
  await expect(notStarted.getByTestId('loop-duration')).toHaveCount(0)

  // Lineage: a fork names its parent with an icon, not a font glyph; the parent lists its forks.
  const lineage = notStarted.getByTestId('lineage-fork')
  await expect(lineage).toHaveText('fork of alpha-web')
  await expect(lineage.locator('svg')).toBeVisible()
  await page.locator(`[data-testid="loop-row"][data-loop-id="${ids['alpha-web']}"]`).click()
  const header = page.getByTestId('loop-header')
  await expect(header.getByTestId('loop-forks')).toContainText('Forked once:')
  await header.getByTestId('loop-fork-link').click()
  await expect(page.getByTestId('loop-view')).toHaveAttribute('data-loop-id', fork.loopId)
  await expect(page.getByTestId('loop-parent')).toContainText('Forked from alpha-web')

  // The cancelled loop: its header has every time with the date, its cut-off iteration says so.
  await page.locator(`[data-testid="loop-row"][data-loop-id="${ids['delta-slow']}"]`).click()
  await expect(header.getByTestId('loop-created-at')).toHaveText(/^created \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
  await expect(header.getByTestId('loop-started-at')).toHaveText(/^started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
  await expect(header.getByTestId('loop-ended-at')).toHaveText(/^ended \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
  await expect(header.getByTestId('loop-elapsed')).toHaveText(/^elapsed \d/)
  await expect(page.getByTestId('iteration-row').first().getByTestId('row-cut-short')).toHaveText(/^cancelled at \d\d:\d\d:\d\d$/)
  await page.screenshot({ path: 'test-results/loops-list.png' })
})

test('the timeline shows when each iteration ran, how long it took and what it cost, and is worked from the keyboard', async ({ app: page, served }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  const loopId = await launchByName(served.andon, 'fix-the-tests')
  await untilStatus(served.andon, loopId, 'terminated')
  const gated = await launchByName(served.andon, 'epsilon-gated')
  await untilStatus(served.andon, gated, 'awaiting-approval')

  // At 1280 px an approval badge is whole inside its cell, not cut off by the action text.
  await page.locator(`[data-testid="loop-row"][data-loop-id="${gated}"]`).click()
  const badge = page.getByTestId('iteration-row').first().getByTestId('row-approval')
  await expect(badge).toHaveText('pending')
  const cell = await page.getByTestId('iteration-row').first().locator('.c-action').boundingBox()
  const box = await badge.boundingBox()
  expect(box!.x + box!.width).toBeLessThanOrEqual(cell!.x + cell!.width + 0.5)

  await page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`).click()
  const rows = page.getByTestId('iteration-row')
  await expect(rows).toHaveCount(5)
  for (const row of await rows.all()) {
    await expect(row.getByTestId('row-time')).toHaveText(/^\d\d:\d\d:\d\d$/)
    await expect(row.getByTestId('row-duration')).toHaveText(/^\d+(ms|\.\ds)$/)
    await expect(row.getByTestId('row-cost')).toHaveText('$0')
  }
  await expect(page.getByRole('grid', { name: 'iterations' })).toBeVisible()

  // Keyboard: the newest row holds the grid's one Tab stop; Up moves, Enter opens that iteration below.
  const last = page.locator('[data-testid="iteration-row"][data-iteration="5"]')
  await last.focus()
  await expect(last).toBeFocused()
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowUp')
  const third = page.locator('[data-testid="iteration-row"][data-iteration="3"]')
  await expect(third).toBeFocused()
  await expect(third).toHaveAttribute('tabindex', '0')
  await expect(last).toHaveAttribute('tabindex', '-1')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('iteration-detail')).toHaveAttribute('data-iteration', '3')
  await expect(third).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Home')
  await expect(page.locator('[data-testid="iteration-row"][data-iteration="1"]')).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('iteration-detail')).toHaveAttribute('data-iteration', '2')
  // The focus ring is drawn where the keyboard is.
  const ring = await page.locator('[data-testid="iteration-row"][data-iteration="2"]').evaluate((el) => getComputedStyle(el).outlineStyle)
  expect(ring).toBe('solid')

  // Events in the detail carry their wall-clock time.
  await expect(page.getByTestId('iteration-detail').getByTestId('event-time').first()).toHaveText(/^\d\d:\d\d:\d\d$/)
})
