import { describe, expect, it } from 'vitest'
import { exportBundleBytes } from '../../src/main/core/bundles/export'
import { importBundle } from '../../src/main/core/bundles/import'
import { exampleSpec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

describe('an imported loop keeps its history as recorded', () => {
  it('event times, types and data survive export → import; the copy is read-only', async () => {
    const source = await tempAndon()
    const target = await tempAndon()
    try {
      const { spec, specPath } = exampleSpec('fix-the-tests')
      const loopId = await source.supervisor.launch(spec, { specPath })
      await source.supervisor.settled(loopId)
      const original = source.store.readStream(loopId)
      expect(new Set(original.map((e) => e.at)).size).toBeGreaterThan(1)
      await new Promise((r) => setTimeout(r, 20))
      const { loopIds } = await importBundle(target.store, exportBundleBytes(source.store, { loopIds: [loopId], appVersion: 'test' }).bytes)
      const copy = target.store.readStream(loopIds[0])
      expect(copy.map((e) => [e.version, e.type, e.at])).toEqual(original.map((e) => [e.version, e.type, e.at]))
      expect(target.supervisor.liveState(loopIds[0])).toMatchObject({ readOnly: true, activeMs: source.supervisor.liveState(loopId).activeMs })
      await expect(target.handlers.resumeLoop({ loopId: loopIds[0] })).rejects.toThrow(/terminated|read-only/)
    } finally {
      await source.cleanup()
      await target.cleanup()
    }
  })
})
