/**
 * Deciding from the approval card, against the real core: a gated replace_in_file shows the
 * policy's subgoal, confidence and rationale, the last observation (plain text, no ANSI codes)
 * and the core's diff preview of the workspace file; editing the args changes the preview; after
 * approving with edits, the iteration detail and the timeline keep the proposal beside the edit.
 */
import type { Locator, Page } from '@playwright/test'
import { expect, launchExample, test } from './fixtures'

async function openApproval(page: Page, loopId: string, tool: string): Promise<Locator> {
  await page.getByTestId('nav-inbox').click()
  const item = page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"]`)
  await expect(item).toHaveCount(1, { timeout: 20_000 })
  await item.click()
  const card = page.getByTestId('approval-card')
  await expect(card.getByTestId('approval-tool')).toHaveText(tool)
  return card
}

const changedLines = (card: Locator) => card.getByTestId('diff-preview-lines').locator('.diff-before, .diff-after')

test('the card shows why the call was proposed, what the loop saw last, and the diff it would make; the diff follows an edit', async ({ app: page }) => {
  const loopId = await launchExample(page, 'fix-the-tests', { name: 'decide from the card', autonomy: 'approve-every-action' })
  let card = await openApproval(page, loopId, 'verify')
  // The first call: nothing observed yet, and verify is no file edit, so no diff.
  await expect(card.getByTestId('approval-observation')).toContainText('none yet')
  await expect(card.getByTestId('diff-preview')).toHaveCount(0)
  await card.getByTestId('approve-button').click()

  card = await openApproval(page, loopId, 'replace_in_file')
  await expect(card.getByTestId('approval-subgoal')).toHaveText('make add() add')
  await expect(card.getByTestId('approval-confidence')).toHaveText('80%')
  await expect(card.getByTestId('approval-rationale')).toHaveText('rule "fix add" matched')
  const observation = card.getByTestId('approval-observation')
  await expect(observation).toContainText('verify · failed (exit 1) · node verify.js: exit 1')
  await expect(observation.locator('pre')).toContainText('FAIL add(2, 3): expected 5, got -1')
  // verify.js prints in colour: the excerpt is text, without the escape codes.
  expect(await observation.locator('pre').innerText()).not.toMatch(/\u001b|\[31m/)

  const preview = card.getByTestId('diff-preview')
  await expect(preview).toHaveAttribute('data-kind', 'diff')
  await expect(preview).toContainText('math.js · +1 −1')
  await expect(card.getByTestId('diff-preview-lines').locator('.diff-hunk')).toHaveText('@@ -1,3 +1,3 @@')
  await expect(changedLines(card)).toHaveText(['-exports.add = (a, b) => a - b', '+exports.add = (a, b) => a + b'])
  await page.screenshot({ path: 'test-results/approval-card.png' })

  const args = card.getByTestId('approval-args')
  await args.fill(JSON.stringify({ path: 'math.js', find: 'a - b', replace: 'b + a' }, null, 2))
  await expect(changedLines(card)).toHaveText(['-exports.add = (a, b) => a - b', '+exports.add = (a, b) => b + a'])
  // Text that is not in the file: the preview says the call would fail, not an empty diff.
  await args.fill(JSON.stringify({ path: 'math.js', find: 'a ** b', replace: 'b + a' }, null, 2))
  await expect(preview).toHaveAttribute('data-kind', 'would-fail')
  await expect(card.getByTestId('diff-preview-message')).toHaveText('the text to find is not in math.js: the call would fail and change nothing')
  await args.fill(JSON.stringify({ path: 'math.js', find: 'a - b', replace: 'b + a' }, null, 2))
  await expect(changedLines(card)).toHaveText(['-exports.add = (a, b) => a - b', '+exports.add = (a, b) => b + a'])
  await card.getByTestId('approve-edited-button').click()
  await expect(page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"][data-iteration="2"]`)).toHaveCount(0)

  // The iteration shows the edit that ran beside the proposal, in the detail and on the timeline row.
  await page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`).click()
  const row2 = page.locator('[data-testid="iteration-row"][data-iteration="2"]')
  await expect(row2.getByTestId('row-approval')).toHaveText('edited')
  await expect(row2.getByTestId('row-approval')).toHaveAttribute('title', 'edited by the operator; proposed: replace_in_file math.js: "a - b" → "a + b"')
  await row2.click()
  const detail = page.locator('[data-testid="iteration-detail"][data-iteration="2"]')
  await expect(detail.getByTestId('edited-call').getByTestId('action-diff')).toContainText('+ b + a')
  await expect(detail.getByTestId('original-proposal')).toBeVisible()
  await expect(detail.getByTestId('original-proposal').getByTestId('action-diff')).toContainText('+ a + b')
})

test('the escalation packet says what failed at the top and how each step of the trail ended', async ({ app: page }) => {
  const loopId = await launchExample(page, 'stuck-needs-a-hint')
  await page.getByTestId('nav-inbox').click()
  await page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"]`).click({ timeout: 30_000 })
  const view = page.getByTestId('escalation-view')
  const failure = view.getByTestId('escalation-failure')
  await expect(failure.getByTestId('failing-invariant')).toContainText('no-looping')
  await expect(failure.getByTestId('escalation-tool-error')).toContainText('The last call, verify, failed (exit 1): node verify.js: exit 1')
  await expect(failure.getByTestId('escalation-tool-error').locator('pre')).toContainText('unknown region')
  const results = view.getByTestId('reasoning-trail').getByTestId('trail-result')
  await expect(results.first()).toBeVisible()
  const texts = await results.allInnerTexts()
  expect(texts.length).toBeGreaterThan(1)
  for (const t of texts) expect(t).toMatch(/^→ (ok|failed)/)
  expect(texts).toContain('→ failed (exit 1) · node verify.js: exit 1')
})
