/** Compare in the GUI: a fork beside its parent says where it was forked and names the argument that differs. */
import { stringify } from 'yaml'
import { contract } from '../../src/shared/contract'
import { READER_SPEC } from '../support/specs'
import { launchByName } from './core-loops'
import { expect, test } from './fixtures'

test.use({ specs: { specs: { 'reader.yaml': stringify(READER_SPEC) } } })

test('a fork compared with its parent shares the iterations before the fork and names the differing argument', async ({ app: page, served }) => {
  const { andon } = served
  const parent = await launchByName(andon, 'reader')
  await andon.supervisor.settled(parent)
  const third = andon.store.iterationRows(parent).find((r) => r.iteration === 3)!
  const { loopId: fork } = await andon.handlers.forkLoop(
    contract.forkLoop.input.parse({ loopId: parent, atVersion: third.firstVersion - 1, patch: { ops: [{ op: 'addFact', fact: 'use b' }] } })
  )
  await andon.supervisor.settled(fork)

  await page.locator(`[data-testid="loop-row"][data-loop-id="${fork}"]`).click()
  await page.getByTestId('loop-tab-compare').click()
  // The parent is chosen by default.
  await expect(page.getByTestId('compare-with')).toHaveValue(parent)
  await expect(page.getByTestId('compare-forked-at')).toHaveText('Forked at iteration 2: iterations up to it are shared.')
  await expect(page.getByTestId('compare-divergence')).toHaveText('Diverged at iteration 4: read_file args.path: b.txt vs a.txt')
  const rows = page.getByTestId('compare-row')
  await expect(rows).toHaveCount(4)
  await expect(rows.nth(0)).toHaveAttribute('data-inherited', 'true')
  await expect(rows.nth(1)).toHaveAttribute('data-inherited', 'true')
  await expect(rows.nth(2)).toHaveAttribute('data-inherited', 'false')
  await expect(rows.nth(3).getByTestId('compare-difference')).toHaveText('read_file args.path: b.txt vs a.txt')
})
