/**
 * The shell-only bridge for secrets (not part of the contract: the web shell takes keys from
 * its environment). The renderer can ask which keys are set, set one, or clear one; it can
 * never read a value back.
 */
import type { IpcMainInvokeEvent } from 'electron'
import { ClearSecretInput, SetSecretInput, type SecretStore, type SecretStatus } from './secrets'
import { describeInputError, type IpcRegistrar } from './ipc'
import { SECRET_CHANNELS } from './channels'

export function registerSecrets(
  ipc: IpcRegistrar,
  store: SecretStore,
  env: Record<string, string | undefined>,
  baseEnv: Record<string, string | undefined>,
  isTrusted: (event: IpcMainInvokeEvent) => boolean
): void {
  const guard = (event: IpcMainInvokeEvent, what: string) => {
    if (!isTrusted(event)) throw new Error(`${what}: refused, the request did not come from the Andon window`)
  }
  ipc.handle(SECRET_CHANNELS.status, (event): SecretStatus[] => {
    guard(event, 'secretStatus')
    return store.status(baseEnv)
  })
  ipc.handle(SECRET_CHANNELS.set, (event, raw): SecretStatus[] => {
    guard(event, 'setSecret')
    const input = SetSecretInput.safeParse(raw)
    if (!input.success) throw new Error(describeInputError('setSecret', input.error))
    store.set(input.data.name, input.data.value)
    env[input.data.name] = input.data.value
    return store.status(baseEnv)
  })
  ipc.handle(SECRET_CHANNELS.clear, (event, raw): SecretStatus[] => {
    guard(event, 'clearSecret')
    const input = ClearSecretInput.safeParse(raw)
    if (!input.success) throw new Error(describeInputError('clearSecret', input.error))
    store.clear(input.data.name)
    env[input.data.name] = baseEnv[input.data.name]
    return store.status(baseEnv)
  })
}
