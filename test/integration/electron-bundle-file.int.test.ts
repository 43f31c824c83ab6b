// The desktop app imports a bundle by the path of the file the operator picked: the bytes never
// cross IPC, and only our window may ask, only for a regular .andon file.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IpcMainInvokeEvent } from 'electron'
import { describe, expect, it } from 'vitest'
import { exportBundleBytes } from '../../src/main/core/bundles/export'
import { importBundleFile } from '../../src/main/core/bundles/import'
import { registerBundleFileImport } from '../../src/main/electron/bundle-file-ipc'
import { BUNDLE_FILE_CHANNEL } from '../../src/main/electron/channels'
import { spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'

describe('importing a bundle file in the desktop app', () => {
  it('takes a regular .andon file by its path from our window only, and imports it read in slices', async () => {
    const source = await tempAndon()
    const loopId = await source.supervisor.launch(spec({ policy: { kind: 'rules', rules: [{ name: 'v', when: {}, then: { tool: 'verify' } }] } }), { start: false })
    const dir = tempDir()
    const file = join(dir, 'run.andon')
    writeFileSync(file, exportBundleBytes(source.store, { loopIds: [loopId], appVersion: 'test' }).bytes)
    await source.cleanup()
    const target = await tempAndon()
    try {
      const listeners = new Map<string, (e: IpcMainInvokeEvent, ...a: unknown[]) => unknown>()
      let trusted = false
      registerBundleFileImport({ handle: (c, l) => void listeners.set(c, l), removeHandler: () => {} }, (path) => importBundleFile(target.store, path), () => trusted)
      const call = (arg: unknown) => Promise.resolve(listeners.get(BUNDLE_FILE_CHANNEL)!({} as IpcMainInvokeEvent, arg))
      await expect(call({ path: file })).rejects.toThrow(/refused, the request did not come from the Andon window/)
      trusted = true
      await expect(call({ path: join(dir, 'secrets.json') })).rejects.toThrow(/not a trace bundle/)
      mkdirSync(join(dir, 'folder.andon'))
      await expect(call({ path: join(dir, 'folder.andon') })).rejects.toThrow(/is not a readable file/)
      await expect(call({ path: file, bytes: 'x' })).rejects.toThrow(/invalid input/)
      expect(await call({ path: file })).toMatchObject({ loopIds: [loopId] })
      expect(target.store.loadState(loopId).readOnly).toBe(true)
    } finally {
      await target.cleanup()
    }
  })
})
