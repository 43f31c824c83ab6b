/**
 * Eval cases and the validation gate in the control room, on the real core: a finished loop saved
 * as a case from its view (the suite file written where the dialog says, its version bumped on the
 * next save, each suite shown with its spec, the autonomy the case replays under), then the gate
 * run from the Evals screen between two versions of a rules loop where one is known to be worse
 * (fix-the-tests v1 lost the mul() fix): live progress that survives failed polls, then the
 * verdict with what the CLI prints (corrected per-case p, the iterations limit test, the thresholds).
 */
import AxeBuilder from '@axe-core/playwright'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse as parseYaml, stringify } from 'yaml'
import type { EvalSuiteInput } from '../../src/shared/eval'
import { expect, launchExample, test } from './fixtures'

const EXAMPLES = resolve(__dirname, '../../resources/examples')
const example = (path: string) => readFileSync(join(EXAMPLES, path), 'utf8')
/** The gate's two versions, named apart from the built-in fix-the-tests the first test launches. */
const gateSpec = (v: string) => example(`gate/fix-the-tests-${v}.yaml`).replace('name: fix-the-tests', 'name: fix-the-tests-gate')
const MUL_BROKEN = 'exports.add = (a, b) => a + b\nexports.mul = (a, b) => a + b\n'

test.use({
  specs: {
    specs: { 'fix-v1.yaml': gateSpec('v1'), 'fix-v2.yaml': gateSpec('v2') },
    files: {
      'ws/math.js': example('workspaces/fix-the-tests/math.js'),
      'ws/verify.js': example('workspaces/fix-the-tests/verify.js'),
      'evals/gate.yaml': stringify({
        name: 'mul gate',
        version: 7,
        gate: { maxIterationsIncrease: 5 },
        cases: [
          { name: 'both broken', workspace: '../ws' },
          { name: 'mul broken', workspace: '../ws', files: { 'math.js': MUL_BROKEN }, label: 'the mul() fix' }
        ]
      })
    }
  }
})

test('a finished loop saved as an eval case from its view: where it went and the suite version', async ({ app: page, served }) => {
  const loopId = await launchExample(page, 'fix-the-tests')
  await expect(page.getByTestId('loop-header').getByTestId('status-badge')).toHaveAttribute('data-reason', 'SUCCESS', { timeout: 30_000 })

  await page.getByTestId('save-case').click()
  const dialog = page.getByTestId('save-case-dialog')
  await expect(dialog.getByTestId('save-case-new-suite')).toHaveValue('fix-the-tests')
  await expect(dialog.getByTestId('save-case-expect')).toHaveValue('SUCCESS')
  // A replay never expects CANCELLED (it is cancelled only when its time is up).
  await expect(dialog.getByTestId('save-case-expect').locator('option[value="CANCELLED"]')).toHaveCount(0)
  // The autonomy the run ended with; an eval has no operator, so a mode that gates calls is flagged.
  await expect(dialog.getByTestId('save-case-autonomy')).toHaveValue('autonomous')
  await expect(dialog.getByTestId('save-case-autonomy-warning')).toHaveCount(0)
  await dialog.getByTestId('save-case-autonomy').selectOption('approve-every-action')
  await expect(dialog.getByTestId('save-case-autonomy-warning')).toContainText('the first call this mode holds for approval stops the replay')
  await dialog.getByTestId('save-case-autonomy').selectOption('autonomous')
  await dialog.getByTestId('save-case-name').fill('green from the start')
  await dialog.getByTestId('save-case-label').fill('fixes add and mul')
  await dialog.getByTestId('save-case-confirm').click()
  const suitePath = join(served.dataDir, 'suites', 'fix-the-tests.eval.yaml')
  await expect(dialog.getByTestId('save-case-path')).toHaveText(suitePath)
  await expect(dialog.getByTestId('save-case-result')).toContainText('Saved case green from the start (expects SUCCESS, replays under autonomous)')
  await expect(dialog.getByTestId('save-case-version')).toHaveText('suite version 1')
  const suite = parseYaml(readFileSync(suitePath, 'utf8')) as EvalSuiteInput
  expect(suite.cases).toEqual([expect.objectContaining({ name: 'green from the start', label: 'fixes add and mul', from: expect.objectContaining({ loopId, by: 'operator' }) })])
  await dialog.getByTestId('save-case-close').click()

  // A new suite named like the one that exists is refused, not appended to.
  await page.getByTestId('save-case').click()
  await dialog.getByTestId('save-case-confirm').click()
  await expect(dialog.locator('.error')).toContainText('a suite named fix-the-tests exists')
  expect((parseYaml(readFileSync(suitePath, 'utf8')) as EvalSuiteInput).version).toBe(1)

  // Saved again into the suite it made (listed with its spec), with the operator's word that it should have stopped for a human.
  const suiteV1 = 'fix-the-tests (version 1, 1 case; spec fix-the-tests)'
  await expect(dialog.getByTestId('save-case-suite').locator('option', { hasText: suiteV1 })).toHaveCount(1)
  await expect(dialog.getByTestId('save-case-suite').locator('option', { hasText: 'mul gate (version 7, 2 cases; no spec of its own)' })).toHaveCount(1)
  await dialog.getByTestId('save-case-suite').selectOption({ label: suiteV1 })
  await expect(dialog.getByTestId('save-case-other-suite-spec')).toHaveCount(0)
  await dialog.getByTestId('save-case-expect').selectOption('escalated')
  await dialog.getByTestId('save-case-confirm').click()
  await expect(dialog.getByTestId('save-case-version')).toHaveText('suite version 2')
  expect((parseYaml(readFileSync(suitePath, 'utf8')) as EvalSuiteInput).cases.map((c) => c.expect?.outcome)).toEqual(['SUCCESS', 'escalated'])

  // The same name again is refused, and said so.
  await dialog.getByTestId('save-case-close').click()
  await page.getByTestId('save-case').click()
  await dialog.getByTestId('save-case-suite').selectOption({ label: 'fix-the-tests (version 2, 2 cases; spec fix-the-tests)' })
  await dialog.getByTestId('save-case-name').fill('green from the start')
  await dialog.getByTestId('save-case-confirm').click()
  await expect(dialog.locator('.error')).toContainText('the suite already has a case named "green from the start"')
})

test('the gate between two rules specs on a suite: live progress, then the screen says worse, with the versions and the confidence', async ({ app: page }) => {
  await page.getByTestId('nav-evals').click()
  await expect(page).toHaveURL(/#\/evals$/)
  await page.getByTestId('gate-suite').selectOption({ label: 'mul gate (version 7, 2 cases)' })
  await page.getByTestId('gate-baseline').selectOption({ label: 'fix-the-tests-gate — fix-v2.yaml' })
  await page.getByTestId('gate-candidate').selectOption({ label: 'fix-the-tests-gate — fix-v1.yaml' })
  await page.getByTestId('gate-repetitions').fill('3')
  await page.getByTestId('gate-run').click()

  const progress = page.getByTestId('gate-progress')
  await expect(progress).toHaveAttribute('data-state', 'running')
  await expect(progress.getByTestId('gate-progress-count')).toHaveText(/^([1-9]|1[01]) of 12 runs done$/, { timeout: 30_000 })
  await expect(page.getByTestId('gate-run')).toBeDisabled()

  // Polls that fail (a dropped connection) do not stop following the gate: the screen says so and asks again.
  await page.route('**/api/getEvalGate', (route) => route.abort('connectionreset'))
  await expect(page.getByTestId('gate-poll-trouble')).toContainText("cannot read the gate's progress")
  await expect(page.getByTestId('gate-error')).toHaveCount(0)
  await page.unroute('**/api/getEvalGate')

  const verdict = page.getByTestId('gate-verdict')
  await expect(verdict).toHaveAttribute('data-verdict', 'worse', { timeout: 90_000 })
  await expect(progress.getByTestId('gate-progress-count')).toHaveText('12 of 12 runs done')
  await expect(verdict).toContainText('Worse: the candidate does not pass the gate (at 95% confidence)')
  await expect(verdict).toContainText('Candidate v1 vs baseline v2 on mul gate (suite version 7), 2 cases × 3 runs per spec.')
  await expect(verdict.getByTestId('gate-reasons')).toContainText('pass rate 100.0% → 0.0%')
  await expect(page.getByTestId('gate-poll-trouble')).toHaveCount(0)
  await expect(verdict.getByTestId('gate-seed')).toHaveText('bootstrap: 2000 resamples of cases, then runs; seed 1')
  // How 1 − confidence was shared, as the CLI prints it (an iterations limit takes its share).
  await expect(verdict.getByTestId('gate-thresholds')).toHaveText(
    "tests: worse if pass rate p < 0.0125 or a case's corrected p < 0.0125 or iterations p < 0.025; better if pass rate p < 0.05"
  )
  await expect(page.getByTestId('gate-side-baseline')).toContainText('v2 — fix-the-tests-gate (version v2)')
  await expect(page.getByTestId('gate-side-candidate')).toContainText('v1 — fix-the-tests-gate (version v1)')
  const cases = page.getByTestId('gate-case')
  await expect(cases).toHaveCount(2)
  for (const name of ['both broken', 'mul broken']) {
    const row = page.locator(`[data-testid="gate-case"][data-case="${name}"]`)
    // 3/3 → 0/3 is p = 1/20 per case, not under the corrected threshold: the suite as a whole is worse.
    await expect(row).toHaveAttribute('data-mark', 'fewer')
    await expect(row).toContainText('3/3 → 0/3 (−100.0 points)')
    await expect(row.getByTestId('gate-case-p')).toHaveText('p = 0.05, p = 0.1 corrected for 2 cases')
  }
  await expect(page.getByTestId('gate-pass-rate')).toContainText('exact test: worse p = 0.0025, better p = 1')
  await expect(page.getByTestId('gate-metric-iterations')).toContainText(/; more than \+5\.0: p (=|<) /)
  await expect(page.getByTestId('gate-metric-cost')).not.toContainText('more than')

  const { violations } = await new AxeBuilder({ page }).analyze()
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
})
