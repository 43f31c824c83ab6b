/**
 * Accessibility: axe-core checks every screen of the control room, in the dark and the light
 * theme, with real loops behind it (an approval, an escalation, a converged run, an import).
 * Any serious or critical violation fails, listed with the elements at fault.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, launchExample, test } from './fixtures'

async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  const report = serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`)
  // Soft: one run reports every screen at fault, not only the first.
  expect.soft(report, `${screen}: serious or critical accessibility violations`).toEqual([])
}

for (const colorScheme of ['dark', 'light'] as const) {
  test(`every screen has no serious accessibility violations (${colorScheme} theme)`, async ({ app: page }, testInfo) => {
    // Every screen with real loops behind it, and axe on each: longer than one screen's test.
    test.slow()
    await page.emulateMedia({ colorScheme })
    await page.getByTestId('nav-launch').click()
    await expect(page.getByTestId('spec-valid')).toBeVisible()
    await expectNoSeriousViolations(page, 'launch')
    // The form with errors and warnings at their fields.
    await page.getByTestId('spec-select').selectOption({ label: 'github-reconcile' })
    await expect(page.getByTestId('spec-errors')).toBeVisible()
    await expectNoSeriousViolations(page, 'launch with errors')

    const stuck = await launchExample(page, 'stuck-needs-a-hint')
    await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-status', 'escalated', { timeout: 30_000 })
    await launchExample(page, 'fix-the-tests', { name: 'gated', autonomy: 'approve-every-action' })
    const converged = await launchExample(page, 'fix-the-tests')
    await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })

    // A loop's timeline with an iteration open in the detail and the terminal, then each tab.
    await page.getByTestId('iteration-row').first().click()
    await expect(page.getByTestId('terminal')).toContainText('FAIL')
    await expectNoSeriousViolations(page, 'loop timeline')
    for (const tab of ['patch', 'travel', 'compare'] as const) {
      await page.getByTestId(`loop-tab-${tab}`).click()
      await expectNoSeriousViolations(page, `loop tab ${tab} (terminated loop)`)
    }
    await page.locator(`[data-testid="loop-row"][data-loop-id="${stuck}"]`).click()
    await page.getByTestId('loop-tab-patch').click()
    await expect(page.getByTestId('patch-fact')).toBeVisible()
    await expectNoSeriousViolations(page, 'patch editor (escalated loop)')

    await page.getByTestId('nav-inbox').click()
    const approval = page.locator('[data-testid="inbox-item"][data-kind="approval"]')
    await approval.click()
    await expect(page.getByTestId('approval-card')).toBeVisible()
    await expectNoSeriousViolations(page, 'inbox: approval')
    // Its answer and always-allow forms, open.
    const card = page.getByTestId('approval-card')
    await card.getByTestId('answer-button').click()
    await card.getByTestId('always-allow-button').click()
    await expect(card.getByTestId('remember-covers')).toBeVisible()
    await expectNoSeriousViolations(page, 'inbox: always allow form')
    await card.getByTestId('answer-button').click()
    await expect(card.getByTestId('answer-form')).toBeVisible()
    await expectNoSeriousViolations(page, 'inbox: answer form')
    await page.locator(`[data-testid="inbox-item"][data-kind="escalation"][data-loop-id="${stuck}"]`).click()
    await expect(page.getByTestId('escalation-view')).toBeVisible()
    await expectNoSeriousViolations(page, 'inbox: escalation')

    await page.keyboard.press('?')
    await expect(page.getByTestId('help-overlay')).toBeVisible()
    await expectNoSeriousViolations(page, 'help overlay')
    await page.keyboard.press('Escape')

    // The Stop all confirmation, then its answer (nothing is running here, so nothing is paused).
    await page.getByTestId('stop-all').click()
    const stopAll = page.getByTestId('stop-all-dialog')
    await expect(stopAll.getByTestId('stop-all-reason')).toBeVisible()
    await expectNoSeriousViolations(page, 'Stop all dialog')
    await stopAll.getByTestId('stop-all-confirm').click()
    await expect(stopAll.getByTestId('stop-all-result')).toBeVisible()
    await expectNoSeriousViolations(page, 'Stop all answer')
    await stopAll.getByTestId('stop-all-close').click()

    // An imported (read-only) loop and its fork review in Time travel.
    await page.locator(`[data-testid="loop-row"][data-loop-id="${converged}"]`).click()
    // Save as eval case… on the converged loop: the dialog, then its answer.
    await page.getByTestId('save-case').click()
    const saveCase = page.getByTestId('save-case-dialog')
    await expect(saveCase.getByTestId('save-case-new-suite')).toBeVisible()
    await expectNoSeriousViolations(page, 'Save as eval case dialog')
    await saveCase.getByTestId('save-case-confirm').click()
    await expect(saveCase.getByTestId('save-case-result')).toBeVisible()
    await expectNoSeriousViolations(page, 'Save as eval case answer')
    await saveCase.getByTestId('save-case-close').click()
    const downloading = page.waitForEvent('download')
    await page.getByTestId('export-bundle').click()
    const file = testInfo.outputPath(`a11y-${colorScheme}.andon`)
    await (await downloading).saveAs(file)
    await page.getByTestId('import-bundle-file').setInputFiles(file)
    await expect(page.getByTestId('loop-readonly')).toBeVisible()
    await expectNoSeriousViolations(page, 'imported loop')
    await page.getByTestId('loop-tab-travel').click()
    await expectNoSeriousViolations(page, 'time travel of an imported loop')

    // Screens only some builds have (Keys needs the desktop shell), checked once what they read from the core is shown.
    const loaded = {
      keys: page.getByTestId('keys'),
      fleet: page.getByTestId('fleet-total'),
      // Enabled once the suites and specs are read (the suite saved above among them).
      evals: page.locator('[data-testid="gate-run"]:enabled'),
      settings: page.getByTestId('webhooks').getByText('None since Andon started.')
    }
    for (const [view, content] of Object.entries(loaded)) {
      const nav = page.getByTestId(`nav-${view}`)
      if ((await nav.count()) === 0) continue
      await nav.click()
      await expect(content).toBeVisible()
      await expectNoSeriousViolations(page, view)
    }

    // The approval rules with a live and a revoked rule, and a pattern that does not parse in the form.
    const rules = page.getByTestId('approval-rules')
    for (const pattern of ['run_command(npm test:*)', 'read_file(src/**)']) {
      await rules.getByTestId('add-rule-pattern').fill(pattern)
      await rules.getByTestId('add-rule-submit').click()
      await expect(rules.locator(`[data-testid="rule-row"][data-pattern="${pattern}"]`)).toHaveCount(1)
    }
    await rules.locator('[data-testid="rule-row"][data-pattern="read_file(src/**)"]').getByTestId('revoke-button').click()
    await expect(rules.getByTestId('rule-revoked')).toHaveCount(1)
    await rules.getByTestId('add-rule-pattern').fill('run_command(')
    await expect(rules.getByTestId('add-rule-covers')).toHaveClass(/error/)
    await expectNoSeriousViolations(page, 'approval rules')

    // The Launch form with a spec's track record.
    await page.getByTestId('nav-launch').click()
    await page.getByTestId('spec-select').selectOption({ label: 'fix-the-tests' })
    await expect(page.getByTestId('track-table')).toBeVisible()
    await expectNoSeriousViolations(page, 'launch: track record')
  })
}
