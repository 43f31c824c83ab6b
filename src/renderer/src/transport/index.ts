/** Picks the Electron preload bridge when present, else the web client. */
import type { AndonBridge } from './bridge'
import { takeToken } from './token'
import { createWebClient } from './web-client'

function pick(): AndonBridge {
  if (window.andon) return window.andon
  return createWebClient(takeToken() ?? '')
}

export const andon: AndonBridge = pick()
export const isElectron = Boolean(window.andon)
/** Present only in the Electron shell. */
export const shell = window.andonShell ?? null
export type { AndonBridge, AndonShellApi, ConnectionStatus, SecretName, SecretStatus } from './bridge'
export { ApiError, errorMessage } from './api-error'
