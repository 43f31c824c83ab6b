/**
 * The desktop app imports a bundle from the file the operator picked or dropped, by its path:
 * the core reads it a slice at a time, so a large bundle never crosses IPC as bytes. Only a
 * regular `.andon` file is taken; the path comes from the preload (webUtils), not typed by anyone.
 */
import { statSync } from 'node:fs'
import type { IpcMainInvokeEvent } from 'electron'
import { z } from 'zod'
import type { CommandOutput } from '../../shared/contract'
import { BUNDLE_FILE_CHANNEL } from './channels'
import { describeInputError, type IpcRegistrar } from './ipc'

const BundleFileInput = z.object({ path: z.string().min(1).max(4096).regex(/\.andon$/i, 'not a trace bundle (.andon)') }).strict()

export function registerBundleFileImport(
  ipc: IpcRegistrar,
  importFile: (path: string) => Promise<CommandOutput<'importBundle'>>,
  isTrusted: (event: IpcMainInvokeEvent) => boolean
): void {
  ipc.handle(BUNDLE_FILE_CHANNEL, async (event, raw) => {
    if (!isTrusted(event)) throw new Error('importBundleFile: refused, the request did not come from the Andon window')
    const input = BundleFileInput.safeParse(raw)
    if (!input.success) throw new Error(describeInputError('importBundleFile', input.error))
    let regular = false
    try {
      regular = statSync(input.data.path).isFile()
    } catch {
      // reported below
    }
    if (!regular) throw new Error(`importBundleFile: ${input.data.path} is not a readable file`)
    return importFile(input.data.path)
  })
}
