/**
 * What the renderer talks to: one method per contract command plus a push subscription.
 * The Electron preload exposes exactly this as `window.andon`; the web client builds the same.
 */
import type { AndonApi, CommandOutput, PushMessage } from '../../../shared/contract'
import type { MenuAction } from '../../../shared/shell-commands'

/** `token-refused`: the server answers but refuses this tab's token (it was rotated); retrying cannot help. */
export type ConnectionStatus = 'connected' | 'connecting' | 'disconnected' | 'token-refused'

export type AndonBridge = AndonApi & {
  onPush(listener: (msg: PushMessage) => void): () => void
  /** Web only: called on (re)connect so the store can resync what it missed. */
  onConnection?(listener: (status: ConnectionStatus) => void): () => void
}

/** Electron-only extras: API keys kept encrypted by the OS keychain (never shown back). */
export type SecretName = 'ANTHROPIC_API_KEY' | 'GITHUB_TOKEN'
export interface SecretStatus {
  name: SecretName
  stored: boolean
  fromEnvironment: boolean
}
export interface AndonShellApi {
  secretStatus(): Promise<SecretStatus[]>
  setSecret(name: SecretName, value: string): Promise<SecretStatus[]>
  clearSecret(name: SecretName): Promise<SecretStatus[]>
  /** Import the bundle file the operator picked, by its path (read in slices, never sent as bytes). */
  importBundleFile?(file: File): Promise<CommandOutput<'importBundle'>>
  /** Menu commands (the table in shared/shell-commands.ts). */
  onMenu?(listener: (action: MenuAction) => void): () => void
  /** Views the desktop app asks to show (`#/inbox/<key>`, `#/loop/<id>/…`): links, a second launch, notification clicks. */
  onNavigate?(listener: (hash: string) => void): () => void
}

declare global {
  interface Window {
    andon?: AndonBridge
    andonShell?: AndonShellApi
  }
}
