/**
 * Earned autonomy from the operator's side, against the real core in Chromium: a rules loop under
 * suggest-only (nothing runs while a suggestion waits; answered, edited and run; switched to
 * autonomous from the header), and approval rules grown from the inbox (always allow, shown on the
 * rules screen, revoked) and from the track record's promotion suggestion.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { stringify } from 'yaml'
import type { Andon } from '../../src/main/core/andon'
import { exportBundleBytes } from '../../src/main/core/bundles/export'
import { ForkConfirmation } from '../../src/shared/contract'
import { LoopSpecSchema } from '../../src/shared/spec'
import { tempAndon } from '../support/temp-andon'
import { expect, launchExample, test } from './fixtures'

const suggestSpec = stringify({
  name: 'suggest-e2e',
  task: 'write notes, deploy, check',
  workspace: 'ws',
  autonomy: 'suggest-only',
  policy: {
    kind: 'rules',
    rules: [
      { name: 'read', when: { outputMatches: 'already deployed' }, then: { tool: 'read_file', args: { path: 'notes.txt' } } },
      { name: 'write', when: { start: true }, then: { tool: 'write_file', args: { path: 'notes.txt', content: 'proposed\n' } } },
      { name: 'deploy', when: { lastTool: 'write_file' }, then: { tool: 'run_command', args: { command: 'touch deployed.txt' } } },
      { name: 'check', when: { lastTool: 'read_file' }, then: { tool: 'run_command', args: { command: 'echo checked' } } },
      { name: 'done', when: { outputMatches: '^checked' }, then: { tool: 'verify', args: {} } }
    ]
  },
  tools: [{ name: 'write_file' }, { name: 'run_command' }, { name: 'read_file' }, { name: 'verify' }],
  invariants: { maxIterations: 10, sameActionLimit: 10, progressEvery: 10 },
  termination: { verifyCommand: 'true' }
})

/** Reads src/a.txt, lists src, and again, each call waiting for the operator. */
const readerSpec = stringify({
  name: 'reader-e2e',
  task: 'read and list',
  workspace: 'ws',
  autonomy: 'approve-every-action',
  policy: {
    kind: 'rules',
    rules: [
      { name: 'read', when: { start: true }, then: { tool: 'read_file', args: { path: 'src/a.txt' } } },
      { name: 'list', when: { lastTool: 'read_file' }, then: { tool: 'run_command', args: { command: 'ls src' } } },
      { name: 'read again', when: { lastTool: 'run_command' }, then: { tool: 'read_file', args: { path: 'src/a.txt' } } }
    ]
  },
  tools: [{ name: 'read_file' }, { name: 'run_command' }, { name: 'verify' }],
  invariants: { maxIterations: 40, sameActionLimit: 40, progressEvery: 40 },
  termination: { verifyCommand: 'false' }
})

test.use({ specs: { specs: { 'suggest-e2e.yaml': suggestSpec, 'reader-e2e.yaml': readerSpec }, files: { 'ws/src/a.txt': 'a\n', 'ws/src/c.txt': 'c\n', 'ws/.keep': '' } } })

/** Open the loop's waiting call of this iteration in the inbox; its card once it has read that call and shows this tool. */
async function openCard(page: Page, loopId: string, iteration: number, tool: string): Promise<Locator> {
  await page.getByTestId('nav-inbox').click()
  const item = page.locator(`[data-testid="inbox-item"][data-loop-id="${loopId}"][data-iteration="${iteration}"]`)
  await expect(item).toHaveCount(1, { timeout: 20_000 })
  await item.click()
  const card = page.getByTestId('approval-card')
  await expect(card.getByTestId('approval-tool')).toHaveText(tool)
  // Read from the core (its keys are on only then), not what the inbox item carried.
  await expect(card).toHaveAttribute('data-loaded', 'true')
  return card
}

async function openLoop(page: Page, loopId: string): Promise<void> {
  await page.locator(`[data-testid="loop-row"][data-loop-id="${loopId}"]`).click()
  await expect(page.getByTestId('loop-view')).toHaveAttribute('data-loop-id', loopId)
}

/**
 * The loop has stopped on a suggestion for this tool that nothing ran: settled (its engine idle, so
 * nothing is still on its way), waiting for the operator, and no tool started.
 */
async function expectSuggestionWaiting(andon: Andon, loopId: string, tool: string): Promise<void> {
  await andon.supervisor.settled(loopId)
  const state = andon.supervisor.liveState(loopId)
  expect(state.status).toBe('awaiting-approval')
  expect(state.pendingCall).toMatchObject({ action: { tool }, suggestion: true, approved: null })
  expect(andon.store.readStream(loopId).some((e) => e.type === 'ToolStarted')).toBe(false)
}

/** The card's promotion slot has read the track record for the call it shows (so a missing hint means none). */
async function promotionRead(card: Locator): Promise<void> {
  await expect(card.getByTestId('promotion-slot')).toHaveAttribute('data-loaded', 'true')
}

const row = (page: Page, iteration: number) => page.locator(`[data-testid="iteration-row"][data-iteration="${iteration}"]`)

test('suggest-only end to end: nothing runs while a suggestion waits; edit and run, answer, then autonomous from the header', async ({ app: page, served }) => {
  const loopId = await launchExample(page, 'suggest-e2e')
  const workspace = () => served.andon.supervisor.liveState(loopId).workspace!

  // The first suggestion: shown as a suggestion, and while it waits nothing ran.
  let card = await openCard(page, loopId, 1, 'write_file')
  await expect(card).toHaveAttribute('data-suggestion', 'true')
  await expect(card.getByTestId('suggestion-banner')).toContainText('Suggested — nothing runs unless you run it')
  await expect(card.getByTestId('approve-button')).toHaveText('Run')
  await expectSuggestionWaiting(served.andon, loopId, 'write_file')
  expect(existsSync(join(workspace(), 'notes.txt'))).toBe(false)

  // Edit and run: the edited args are what runs.
  await card.getByTestId('approval-args').fill(JSON.stringify({ path: 'notes.txt', content: 'edited\n' }))
  await expect(card.getByTestId('approve-edited-button')).toHaveText('Edit and run')
  await card.getByTestId('approve-edited-button').click()

  // The next suggestion is answered instead of run: the loop goes on from the answer.
  card = await openCard(page, loopId, 2, 'run_command')
  expect(readFileSync(join(workspace(), 'notes.txt'), 'utf8')).toBe('edited\n')
  // `n` opens the answer with the focus in it.
  await page.keyboard.press('n')
  await expect(card.getByTestId('answer-text')).toBeFocused()
  await page.keyboard.type('it is already deployed')
  await card.getByTestId('answer-send').click()

  // The policy saw the answer as the call's outcome (its rule on "already deployed" fired); the command never ran.
  card = await openCard(page, loopId, 3, 'read_file')
  expect(existsSync(join(workspace(), 'deployed.txt'))).toBe(false)

  // Switch to autonomous from the header while the read waits, with a why.
  await openLoop(page, loopId)
  await page.getByTestId('autonomy-select').selectOption('autonomous')
  await page.getByTestId('autonomy-why').fill('it earned it')
  await page.getByTestId('autonomy-apply').click()
  await expect(page.getByTestId('autonomy-select')).toHaveValue('autonomous')
  await expect(page.getByTestId('autonomy-apply')).toHaveCount(0)

  // The waiting call still waits (it was proposed under suggest-only): run it with the approve key.
  card = await openCard(page, loopId, 3, 'read_file')
  await page.keyboard.press('a')

  // The next calls run without a card, and the loop converges.
  await openLoop(page, loopId)
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 20_000 })
  await expect(page.getByTestId('open-inbox-item')).toHaveCount(0)
  const gated = served.andon.store.readStream(loopId).flatMap((e) => (e.type === 'ActionProposed' ? [[e.data.iteration, e.data.needsApproval]] : []))
  expect(gated).toEqual([[1, true], [2, true], [3, true], [4, false], [5, false]])
  await expect(row(page, 1).getByTestId('row-approval')).toHaveText('edited')
  await expect(row(page, 2).getByTestId('row-approval')).toHaveText('answered')
  await expect(row(page, 3).getByTestId('row-approval')).toHaveText('approved')
  for (const it of [1, 2, 3]) await expect(row(page, it).getByTestId('row-suggestion')).toHaveText('suggestion')
  for (const it of [4, 5]) {
    await expect(row(page, it)).toBeVisible()
    await expect(row(page, it).getByTestId('row-approval')).toHaveCount(0)
    await expect(row(page, it).getByTestId('row-suggestion')).toHaveCount(0)
  }
  // The answer and the change of mode are in the record, as the iteration detail shows them.
  await row(page, 2).click()
  await expect(page.locator('[data-testid="event-line"][data-type="ActionAnswered"]')).toContainText('answered by operator instead of running it (counts as succeeded): it is already deployed')
  await row(page, 3).click()
  await expect(page.locator('[data-testid="event-line"][data-type="StatePatched"]')).toContainText('autonomy set to autonomous by operator: it earned it')
})

test('always allow from a card makes a rule on the rules screen; the next matching call runs unasked; revoked, it asks again; a promotion suggestion becomes a rule only on Allow', async ({ app: page }) => {
  // The smallest streak the core accepts, so a suggestion comes after 5 unedited approvals.
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('promotion-streak').fill('5')

  const loopId = await launchExample(page, 'reader-e2e')
  let card = await openCard(page, loopId, 1, 'read_file')
  // Shift+A opens "always allow this".
  await page.keyboard.press('Shift+A')
  const form = card.getByTestId('remember-allow')
  await expect(form.getByTestId('remember-pattern')).toHaveValue('read_file(src/a.txt)')
  await expect(form.getByTestId('remember-covers')).toHaveText(
    'Read_file calls whose path is exactly "src/a.txt" (relative to the workspace; never a path outside it, for an allow) will run without asking, whatever the autonomy mode, in loops of the spec reader-e2e, from the next proposed call.'
  )
  // Checked as typed, by the same parser the core uses.
  await form.getByTestId('remember-pattern').fill('read_file(src/a.txt')
  await expect(form.getByTestId('remember-covers')).toContainText('an argument pattern ends with ")"')
  await expect(form.getByTestId('remember-confirm')).toBeDisabled()
  await form.getByTestId('remember-pattern').fill('read_file(src/a.txt)')
  await form.getByTestId('remember-why').fill('reading is harmless')
  await form.getByTestId('remember-confirm').click()

  // The rule is on the rules screen, with where it came from.
  await page.getByTestId('nav-settings').click()
  const rule = page.locator('[data-testid="rules-table"] [data-testid="rule-row"][data-pattern="read_file(src/a.txt)"]')
  await expect(rule).toHaveCount(1)
  await expect(rule).toContainText('spec reader-e2e')
  await expect(rule).toContainText('reading is harmless')
  await expect(rule.getByTestId('rule-from')).toContainText(loopId)

  // The listing waits; once approved, the next read runs without asking, and the timeline says by which rule.
  card = await openCard(page, loopId, 2, 'run_command')
  await card.getByTestId('approve-button').click()
  card = await openCard(page, loopId, 4, 'run_command')
  await openLoop(page, loopId)
  await expect(row(page, 3).getByTestId('row-rule')).toHaveText(/^allowed by rule read_file\(src\/a\.txt\) \(#\d+\)$/)
  await expect(row(page, 3).getByTestId('row-approval')).toHaveCount(0)

  // Revoked with a why: the next read asks again.
  await page.getByTestId('nav-settings').click()
  await rule.getByTestId('revoke-why').fill('want to see them again')
  await rule.getByTestId('revoke-button').click()
  const revoked = page.locator('[data-testid="rule-row"][data-pattern="read_file(src/a.txt)"]')
  await expect(revoked.getByTestId('rule-revoked')).toContainText('operator')
  await expect(revoked.getByTestId('rule-revoked')).toContainText('want to see them again')
  card = await openCard(page, loopId, 4, 'run_command')
  await card.getByTestId('approve-button').click()
  card = await openCard(page, loopId, 5, 'read_file')
  await promotionRead(card)
  await expect(card.getByTestId('promotion-hint')).toHaveCount(0)

  // Approve unedited until the listing has 5 approvals in a row: its card then suggests allowing it.
  let iteration = 5
  for (const tool of ['read_file', 'run_command', 'read_file', 'run_command', 'read_file', 'run_command', 'read_file']) {
    card = await openCard(page, loopId, iteration, tool)
    await promotionRead(card)
    await expect(card.getByTestId('promotion-hint')).toHaveCount(0)
    await page.keyboard.press('a')
    iteration++
  }
  card = await openCard(page, loopId, iteration, 'run_command')
  const hint = card.getByTestId('promotion-hint')
  await expect(hint.getByTestId('promotion-text')).toHaveText('The last 5 `run_command` calls were approved unedited (1 loop); 0 of 5 runs failed. Allow `run_command(ls src)` without asking?')
  // Not now hides it on this card, and adds nothing.
  await hint.getByTestId('promotion-not-now').click()
  await expect(hint).toHaveCount(0)
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('approval-rules')).toHaveAttribute('data-loaded', 'true')
  await expect(page.locator('[data-testid="rule-row"]')).toHaveCount(1)
  await expect(page.locator('[data-testid="rule-row"][data-pattern="run_command(ls src)"]')).toHaveCount(0)

  // Opened again, the card offers it again; Allow adds the rule (scope: this spec).
  card = await openCard(page, loopId, iteration, 'run_command')
  await card.getByTestId('promotion-hint').getByTestId('promotion-allow').click()
  await expect(card.getByTestId('promotion-added')).toContainText('allow run_command(ls src)')
  await page.getByTestId('nav-settings').click()
  const promoted = page.locator('[data-testid="rules-table"] [data-testid="rule-row"][data-pattern="run_command(ls src)"]')
  await expect(promoted).toContainText('spec reader-e2e')
  await expect(promoted).toContainText('approved unedited')

  // The call waiting now still waits; after it, listings run without asking, reads still ask.
  card = await openCard(page, loopId, iteration, 'run_command')
  await page.keyboard.press('a')
  card = await openCard(page, loopId, iteration + 1, 'read_file')
  await page.keyboard.press('a')
  await openCard(page, loopId, iteration + 3, 'read_file')
  await openLoop(page, loopId)
  await expect(row(page, iteration + 2).getByTestId('row-rule')).toHaveText(/^allowed by rule run_command\(ls src\)/)

  // The spec's track record on the Launch form counts the decisions.
  await page.getByTestId('nav-launch').click()
  await page.getByTestId('spec-select').selectOption({ label: 'reader-e2e' })
  const tracked = page.locator('[data-testid="track-row"][data-tool="run_command"]')
  await expect(tracked.getByTestId('track-approved')).toHaveText('6')
})

test('Shift+A puts what is typed next in the pattern; the default follows edited args until the operator types; a pattern that misses the approved call needs a say-so', async ({ app: page, served }) => {
  const loopId = await launchExample(page, 'reader-e2e')
  const card = await openCard(page, loopId, 1, 'read_file')
  const form = card.getByTestId('remember-allow')

  // Typed straight after Shift+A, the pattern's r and a are text, not reject and approve.
  await page.keyboard.press('Shift+A')
  await page.keyboard.type('read_file(src/**)')
  await expect(form.getByTestId('remember-pattern')).toHaveValue('read_file(src/**)')
  await expect(card.getByTestId('reject-reason')).toHaveValue('')
  // Once the pattern's check came back (sent after every key), nothing was decided.
  await expect(form.getByTestId('remember-confirm')).toBeEnabled()
  expect(served.andon.supervisor.liveState(loopId).pendingCall).toMatchObject({ action: { tool: 'read_file', args: { path: 'src/a.txt' } }, approved: null })
  expect(served.andon.store.readStream(loopId).filter((e) => e.type === 'ActionApproved' || e.type === 'ActionRejected')).toEqual([])

  // The args edited, the call approved is another: the typed pattern does not cover it, and adding it needs a say-so.
  await card.getByTestId('approval-args').fill(JSON.stringify({ path: 'docs/b.txt' }))
  await expect(form.getByTestId('remember-uncovered')).toContainText('read_file(src/**) does not cover the call you approve')
  await expect(form.getByTestId('remember-confirm')).toBeDisabled()
  await form.getByTestId('remember-anyway').check()
  await expect(form.getByTestId('remember-confirm')).toBeEnabled()

  // Opened again with the pattern untouched, the default follows the call as edited, edit after edit.
  await form.getByRole('button', { name: 'Cancel' }).click()
  await card.getByTestId('always-allow-button').click()
  await expect(form.getByTestId('remember-pattern')).toBeFocused()
  await expect(form.getByTestId('remember-pattern')).toHaveValue('read_file(docs/b.txt)')
  await card.getByTestId('approval-args').fill(JSON.stringify({ path: 'src/c.txt' }))
  await expect(form.getByTestId('remember-pattern')).toHaveValue('read_file(src/c.txt)')
  await expect(form.getByTestId('remember-covers')).toContainText('whose path is exactly "src/c.txt"')
  await form.getByTestId('remember-confirm').click()

  // The rule added and the call that ran are the same call.
  await expect.poll(() => served.andon.supervisor.approvalRules.list().map((r) => r.pattern)).toEqual(['read_file(src/c.txt)'])
  await expect.poll(() => served.andon.store.readStream(loopId).flatMap((e) => (e.type === 'ToolStarted' ? [e.data.args.path] : []))).toEqual(['src/c.txt'])
})

test('a promotion hint says when it is about other calls than the waiting one; a loop descended from an import gets none, and its always allow says a spec rule will not reach it', async ({ app: page, served }) => {
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('promotion-streak').fill('5')
  const { andon } = served
  const lister = (command: string) =>
    LoopSpecSchema.parse({
      name: 'reader-e2e',
      task: 'list',
      workspace: join(served.dataDir, 'specs', 'ws'),
      autonomy: 'approve-every-action',
      policy: { kind: 'rules', rules: [{ name: 'run', when: {}, then: { tool: 'run_command', args: { command } } }] },
      tools: [{ name: 'run_command' }, { name: 'verify' }],
      invariants: { maxIterations: 40, sameActionLimit: 40, progressEvery: 40 },
      termination: { verifyCommand: 'false' }
    })

  // Five listings approved unedited: the record suggests allowing exactly that listing.
  const listing = await andon.supervisor.launch(lister('ls src'))
  for (let iteration = 1; iteration <= 5; iteration++) {
    const callId = await waitingCall(andon, listing, iteration)
    await andon.handlers.decideApproval({ loopId: listing, callId, decision: 'approve', reason: '' })
  }
  let card = await openCard(page, listing, 6, 'run_command')
  await expect(card.getByTestId('promotion-hint')).toHaveAttribute('data-covers', 'true')
  await expect(card.getByTestId('promotion-allow')).toHaveText('Allow run_command(ls src)')
  await expect(card.getByTestId('promotion-other-calls')).toHaveCount(0)

  // On a card for another command the same suggestion says it is about other calls.
  const remover = await andon.supervisor.launch(lister('rm -rf build'))
  await waitingCall(andon, remover, 1)
  card = await openCard(page, remover, 1, 'run_command')
  await expect(card.getByTestId('promotion-hint')).toHaveAttribute('data-covers', 'false')
  await expect(card.getByTestId('promotion-other-calls')).toHaveText(
    'This is about other run_command calls: run_command(ls src) does not cover the call waiting here, which it would leave to you.'
  )

  // A loop of the same spec name from a bundle, forked here: the record's allow would never reach it, so no hint.
  const author = await tempAndon()
  const source = await author.supervisor.launch(lister('ls src'), { start: false })
  const { bytes } = exportBundleBytes(author.store, { loopIds: [source], appVersion: 'test' })
  await author.cleanup()
  const {
    loopIds: [imported]
  } = await andon.handlers.importBundle({ bytesBase64: Buffer.from(bytes).toString('base64') })
  const { loopId: fork } = await andon.handlers.forkLoop({ loopId: imported, atVersion: 1, start: true, confirmImported: ForkConfirmation.parse({}) })
  await waitingCall(andon, fork, 1)
  card = await openCard(page, fork, 1, 'run_command')
  await promotionRead(card)
  await expect(card.getByTestId('promotion-hint')).toHaveCount(0)
  // Its always allow says a rule for the spec will not apply to it; one for every loop would.
  await card.getByTestId('always-allow-button').click()
  const form = card.getByTestId('remember-allow')
  await expect(form.getByTestId('remember-imported')).toContainText('an allow rule for this spec never applies to it or its forks')
  await form.getByTestId('remember-scope-all').check()
  await expect(form.getByTestId('remember-imported')).toHaveCount(0)
})

/** The call a loop waits on at this iteration, once it is waiting. */
async function waitingCall(andon: Andon, loopId: string, iteration: number): Promise<string> {
  let callId = ''
  await expect
    .poll(() => {
      const pending = andon.supervisor.liveState(loopId).pendingCall
      callId = pending?.iteration === iteration && pending.approved === null ? pending.callId : ''
      return callId !== ''
    }, { timeout: 20_000 })
    .toBe(true)
  return callId
}
