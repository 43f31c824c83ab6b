/** The andon cord in the nav: confirm, and every running loop pauses with "stop all" and the reason given. */
import { LoopSpecSchema } from '../../src/shared/spec'
import { expect, test } from './fixtures'

const busy = (name: string) =>
  LoopSpecSchema.parse({
    name,
    task: 'keep counting',
    policy: { kind: 'rules', delayMs: 100, rules: [{ name: 'count', when: {}, then: { tool: 'run_command', args: { command: 'echo x >> n.txt; wc -l < n.txt' } } }] },
    tools: [{ name: 'run_command' }, { name: 'verify' }],
    invariants: { maxIterations: 500, sameActionLimit: 500, progressEvery: 500 },
    termination: { verifyCommand: 'false' }
  })

test('Stop all pauses every running loop after a confirmation, with the reason recorded on each', async ({ app: page, served }) => {
  const ids = [await served.andon.supervisor.launch(busy('night build')), await served.andon.supervisor.launch(busy('docs sweep'))]
  const cord = page.getByTestId('stop-all')
  await expect(cord).toHaveText('Stop all (2)')
  await cord.click()
  const dialog = page.getByTestId('stop-all-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('2 loops running')
  // Cancel changes nothing.
  await dialog.getByTestId('stop-all-close').click()
  await expect(dialog).toBeHidden()
  for (const id of ids) expect(served.andon.supervisor.liveState(id).status).toBe('running')

  await cord.click()
  await dialog.getByTestId('stop-all-reason').fill('provider incident')
  await dialog.getByTestId('stop-all-confirm').click()
  await expect(dialog.getByTestId('stop-all-result')).toContainText('Paused 2 loops.')
  for (const id of ids) {
    await expect(page.locator(`[data-testid="loop-row"][data-loop-id="${id}"]`)).toContainText(/paused/i)
    const pauses = served.andon.store.readStream(id).filter((e) => e.type === 'Paused')
    expect(pauses.map((e) => e.data)).toEqual([{ by: 'operator', reason: 'stop all: provider incident' }])
  }
  await dialog.getByTestId('stop-all-close').click()
  await expect(cord).toHaveText('Stop all')
})

test('with the archived loops shown, Stop all still counts the running loops and pauses them', async ({ app: page, served }) => {
  const ids = [await served.andon.supervisor.launch(busy('night build')), await served.andon.supervisor.launch(busy('docs sweep'))]
  const cord = page.getByTestId('stop-all')
  await expect(cord).toHaveText('Stop all (2)')
  await page.getByTestId('show-archived').click()
  await expect(page.getByTestId('loops-count')).toHaveText('Archived (0)')
  await expect(cord).toHaveText('Stop all (2)')
  await cord.click()
  const dialog = page.getByTestId('stop-all-dialog')
  await expect(dialog).toContainText('2 loops running')
  await dialog.getByTestId('stop-all-confirm').click()
  await expect(dialog.getByTestId('stop-all-result')).toContainText('Paused 2 loops.')
  for (const id of ids) expect(served.andon.supervisor.liveState(id).status).toBe('paused')
  await dialog.getByTestId('stop-all-close').click()
  await expect(cord).toHaveText('Stop all')
})
