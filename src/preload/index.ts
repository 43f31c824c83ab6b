/**
 * The bridge the sandboxed renderer sees as `window.andon`: one method per contract command
 * (built from the contract, so it cannot drift) plus `onPush`. ipcRenderer itself is never
 * exposed, and the renderer cannot pick a channel: each method is bound to its own.
 * Shell-only extras (secrets) live on `window.andonShell`.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { commandNames, type AndonApi, type CommandOutput, type PushMessage } from '../shared/contract'
import { isViewAddress } from '../shared/shell-commands'
import { BUNDLE_FILE_CHANNEL, MENU_ACTIONS, MENU_CHANNEL, NAVIGATE_CHANNEL, PUSH_CHANNEL, SECRET_CHANNELS, commandChannel, type MenuAction } from '../main/electron/channels'

export type PushListener = (msg: PushMessage) => void

const commands = Object.fromEntries(
  commandNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke(commandChannel(name), input ?? {})])
) as AndonApi

export const api = {
  ...commands,
  /** Every event the core commits, with its loop's summary, in order; returns an unsubscribe function. */
  onPush(listener: PushListener): () => void {
    // The main process sends what the core pushed in one tick as one message (push-batch.ts).
    const wrapped = (_event: IpcRendererEvent, batch: unknown) => {
      if (Array.isArray(batch)) for (const msg of batch as PushMessage[]) listener(msg)
    }
    ipcRenderer.on(PUSH_CHANNEL, wrapped)
    return () => {
      ipcRenderer.removeListener(PUSH_CHANNEL, wrapped)
    }
  }
} satisfies AndonApi & { onPush(listener: PushListener): () => void }

type SecretName = 'ANTHROPIC_API_KEY' | 'GITHUB_TOKEN'
interface SecretStatus {
  name: SecretName
  stored: boolean
  fromEnvironment: boolean
}

export const shellApi = {
  /** Which keys are stored (encrypted with the OS keychain) or present in the environment. */
  secretStatus: (): Promise<SecretStatus[]> => ipcRenderer.invoke(SECRET_CHANNELS.status),
  setSecret: (name: SecretName, value: string): Promise<SecretStatus[]> => ipcRenderer.invoke(SECRET_CHANNELS.set, { name, value }),
  clearSecret: (name: SecretName): Promise<SecretStatus[]> => ipcRenderer.invoke(SECRET_CHANNELS.clear, { name }),
  /** Import a bundle the operator picked or dropped: its path goes to the core, never its bytes. */
  importBundleFile: (file: File): Promise<CommandOutput<'importBundle'>> => ipcRenderer.invoke(BUNDLE_FILE_CHANNEL, { path: webUtils.getPathForFile(file) }),
  /** File menu commands (import a bundle, export the selected loop); returns an unsubscribe function. */
  onMenu(listener: (action: MenuAction) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, action: unknown) => {
      if ((MENU_ACTIONS as readonly unknown[]).includes(action)) listener(action as MenuAction)
    }
    ipcRenderer.on(MENU_CHANNEL, wrapped)
    return () => {
      ipcRenderer.removeListener(MENU_CHANNEL, wrapped)
    }
  },
  /** Views to show (`#/inbox/<key>`, `#/loop/<id>/…`): only an in-app address of at most 2048 characters passes. */
  onNavigate(listener: (hash: string) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, hash: unknown) => {
      if (isViewAddress(hash)) listener(hash)
    }
    ipcRenderer.on(NAVIGATE_CHANNEL, wrapped)
    return () => {
      ipcRenderer.removeListener(NAVIGATE_CHANNEL, wrapped)
    }
  }
}

contextBridge.exposeInMainWorld('andon', api)
contextBridge.exposeInMainWorld('andonShell', shellApi)
