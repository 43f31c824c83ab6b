/**
 * Record golden event logs: run the example loops (plus an escalate → patch → resume) and
 * write their events and the expected folded outcome under test/golden/. Re-run only when a
 * change to the event model is intended; the golden test then shows exactly what changed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAndon } from '../src/main/core/create-andon'
import { goldenOutcome } from '../test/golden/outcome'

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'andon-golden-'))
  const andon = await createAndon({ dataDir, env: {} })
  const specs = await andon.handlers.listSpecs({})
  const record = (name: string, loopId: string) => {
    const events = andon.store.readStream(loopId)
    writeFileSync(join('test/golden', `${name}.events.jsonl`), events.map((e) => JSON.stringify(e)).join('\n') + '\n')
    writeFileSync(join('test/golden', `${name}.expected.json`), JSON.stringify(goldenOutcome(events), null, 2) + '\n')
  }
  const byName = (n: string) => specs.find((s) => s.name === n)!.id
  const fix = await andon.handlers.launchLoop({ specId: byName('fix-the-tests'), overrides: {} })
  await andon.supervisor.settled(fix.loopId)
  record('fix-the-tests', fix.loopId)
  const stuck = await andon.handlers.launchLoop({ specId: byName('stuck-needs-a-hint'), overrides: {} })
  await andon.supervisor.settled(stuck.loopId)
  await andon.handlers.patchState({ loopId: stuck.loopId, why: 'operator knows the region', patch: { ops: [{ op: 'addFact', fact: 'region is eu-west-1' }] } })
  await andon.handlers.resumeLoop({ loopId: stuck.loopId })
  await andon.supervisor.settled(stuck.loopId)
  record('stuck-patched-resumed', stuck.loopId)
  await andon.close()
  rmSync(dataDir, { recursive: true, force: true })
}

void main()
