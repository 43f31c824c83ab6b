/**
 * The operator's word is final, in Chromium against the web shell and the real core: a
 * rejection's reason reaches the policy (its next proposal heeds it), and a call cut off by a
 * killed process is resolved by the operator's answer, never re-run behind their back.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { runUntilKill } from '../support/crash'
import { cleanupRules, madeOnceSpec } from '../support/specs'
import { expect, launchExample, test } from './fixtures'

test.describe('a rejection reaches the policy', () => {
  test.use({
    specs: {
      specs: {
        'careful-cleanup.yaml': stringify({
          name: 'careful-cleanup',
          task: 'Tidy the workspace.',
          workspace: 'workspaces/notes',
          autonomy: 'approve-risky',
          policy: {
            kind: 'rules',
            rules: cleanupRules('mv notes.txt notes.bak')
          },
          termination: { verifyCommand: 'test -f notes.bak' }
        })
      },
      files: { 'workspaces/notes/notes.txt': 'the only copy\n' }
    }
  })

  test('the operator rejects with a reason; the next proposal heeds it; the row shows why', async ({ app: page }) => {
    const loopId = await launchExample(page, 'careful-cleanup')
    await page.getByTestId('nav-inbox').click()
    const item = page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"]`)
    await expect(item).toHaveAttribute('data-iteration', '1', { timeout: 20_000 })
    await item.click()
    const card = page.getByTestId('approval-card')
    await expect(card.getByTestId('approval-args')).toHaveValue(/rm -f notes\.txt/)
    await expect(card.getByTestId('reject-button')).toBeDisabled()
    await card.getByTestId('reject-reason').fill('keep the notes, they are the only copy')
    await card.getByTestId('reject-button').click()

    // The policy proposes something else, because of the reason.
    await expect(item).toHaveAttribute('data-iteration', '2', { timeout: 20_000 })
    await item.click()
    await expect(page.getByTestId('approval-args')).toHaveValue(/mv notes\.txt notes\.bak/)
    await page.getByTestId('approve-button').click()

    await page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`).click()
    await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 20_000 })
    const row1 = page.locator('[data-testid="iteration-row"][data-iteration="1"]')
    await expect(row1).toContainText('rejected')
    await expect(row1).toContainText('rejected: keep the notes, they are the only copy')
  })
})

test.describe('a call cut off by a killed process', () => {
  let loopId = ''
  test.use({
    seed: {
      async run(dataDir: string) {
        const s = madeOnceSpec('echo made | tee -a made.txt; sleep 5; echo again >> made.txt', { name: 'make-once' })
        loopId = (await runUntilKill(dataDir, JSON.stringify(s), /ToolOutput/)).loopId
      }
    }
  })

  test('the operator says it took effect; the loop goes on without re-running it', async ({ app: page, served }) => {
    await expect(page.getByTestId('inbox-count')).toHaveText('1', { timeout: 20_000 })
    await page.getByTestId('nav-inbox').click()
    await page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"]`).click()
    const packet = page.getByTestId('escalation-view')
    await expect(packet.getByTestId('outcome-unknown')).toContainText('echo made')
    // "Resume as is" would re-run it: not offered.
    await expect(packet.getByTestId('suggestion').filter({ hasText: 'Resume as is' })).toHaveCount(0)
    await packet.getByTestId('outcome-note').fill('made.txt has its line')
    await packet.getByTestId('suggestion').filter({ hasText: 'It took effect' }).click()

    await page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`).click()
    await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 20_000 })
    const row1 = page.locator('[data-testid="iteration-row"][data-iteration="1"]')
    await expect(row1.getByTestId('row-interrupted')).toBeVisible()
    await expect(row1).toContainText('took effect before Andon stopped, says operator (made.txt has its line)')
    const ws = served.andon.supervisor.liveState(loopId).workspace!
    expect(readFileSync(join(ws, 'made.txt'), 'utf8')).toBe('made\n')
  })
})

test.describe('time while a loop runs', () => {
  test.use({
    specs: {
      specs: {
        'slow-steps.yaml': stringify({
          name: 'slow-steps',
          task: 'Take a few slow steps.',
          policy: { kind: 'rules', delayMs: 1500, rules: [{ name: 'step', when: {}, then: { tool: 'run_command', args: { command: 'true' } } }] },
          invariants: { maxIterations: 4, sameActionLimit: 10, progressEvery: 10 }
        })
      }
    }
  })

  test('active time counts up while the loop runs, not only when it stops', async ({ app: page }) => {
    await launchExample(page, 'slow-steps')
    const header = page.getByTestId('loop-header')
    await expect(header.getByTestId('status-badge')).toHaveAttribute('data-status', 'running')
    await expect(header.getByTestId('loop-active')).toHaveText(/active [1-9]\.\ds/)
    await expect(header.getByTestId('status-badge')).toHaveAttribute('data-status', 'running')
  })
})
