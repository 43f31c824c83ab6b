/**
 * The recorded histories the track-record golden tests read, made by the real engine: loops of
 * one spec under approve-every-action, each call approved or edited through the contract's
 * handlers. The run must reproduce track-records/<name>.jsonl exactly (times, ids and paths
 * normalized); with UPDATE_GOLDEN=1 it is recorded again, and without it a missing file fails.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contract } from '../../src/shared/contract'
import { tempAndon, tempDir } from '../support/temp-andon'
import { normalize, toJsonl } from './histories'
import { readerSpec } from './track-records/reader'

type Core = Awaited<ReturnType<typeof tempAndon>>
const DIR = join(__dirname, 'track-records')

/** Decide every call the loop asks about, editing those `edit` picks (by iteration). */
async function decideAll(andon: Core, loopId: string, edit: (iteration: number) => Record<string, unknown> | undefined): Promise<void> {
  for (;;) {
    await andon.supervisor.settled(loopId)
    const s = andon.supervisor.liveState(loopId)
    if (s.status !== 'awaiting-approval') return
    const call = s.pendingCall!
    const editedArgs = edit(call.iteration)
    await andon.handlers.decideApproval(contract.decideApproval.input.parse({ loopId, callId: call.callId, decision: 'approve', editedArgs }))
  }
}

const scenarios: Record<string, (andon: Core, template: string) => Promise<string[]>> = {
  /** Loop 1: all ten calls approved unedited. Loop 2: its first read edited to src/b.txt, the rest approved. */
  async 'reader-approvals'(andon, template) {
    const first = await andon.supervisor.launch(readerSpec('reader', template))
    await decideAll(andon, first, () => undefined)
    const second = await andon.supervisor.launch(readerSpec('reader', template))
    await decideAll(andon, second, (i) => (i === 1 ? { path: 'src/b.txt' } : undefined))
    return [first, second]
  }
}

describe('recorded track-record histories', () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, async () => {
      const andon = await tempAndon()
      const template = tempDir()
      mkdirSync(join(template, 'src'))
      writeFileSync(join(template, 'src', 'a.txt'), 'a\n')
      writeFileSync(join(template, 'src', 'b.txt'), 'b\n')
      try {
        const loopIds = await scenario(andon, template)
        const loops = loopIds.map((loopId) => ({ loopId, events: andon.store.readStream(loopId) }))
        const got = toJsonl(normalize(loops, [[andon.dataDir, '<data>'], [template, '<template>']]))
        const file = join(DIR, `${name}.jsonl`)
        if (process.env.UPDATE_GOLDEN) writeFileSync(file, got)
        expect(existsSync(file), `no recorded history ${file}: record it with UPDATE_GOLDEN=1`).toBe(true)
        expect(got.split('\n')).toEqual(readFileSync(file, 'utf8').split('\n'))
      } finally {
        await andon.cleanup()
      }
    })
  }
})
