/** Picks the Electron preload bridge when present, else the web client. */
import type { AndonBridge } from './bridge'
import { takeToken } from './token'
import { createWebClient } from './web-client'

const token = window.andon ? null : takeToken()

export const andon: AndonBridge = window.andon ?? createWebClient(token ?? '')
/** In the web shell without a token nothing will work: the page says how to get one. */
export const missingToken = !window.andon && !token
export const isElectron = Boolean(window.andon)
/** Present only in the Electron shell. */
export const shell = window.andonShell ?? null
export type { AndonBridge, AndonShellApi, ConnectionStatus, SecretName, SecretStatus } from './bridge'
export { ApiError, errorMessage } from './api-error'
