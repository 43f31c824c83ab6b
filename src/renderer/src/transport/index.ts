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
export type { AndonBridge, ConnectionStatus } from './bridge'
export { ApiError, errorMessage } from './api-error'
