/**
 * One scripted server per test file, expecting `key`: started before the file's tests, reset
 * (queue, fallback, recorded requests) before each, closed after, together with the process-wide
 * backpressure a test may have replaced.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { setSharedBackpressure } from '../../../src/main/core/backpressure'
import { startScriptedServer, type ScriptedServer } from './index'

export function scriptedServerPerFile(key: string): { readonly server: ScriptedServer } {
  const holder = {} as { server: ScriptedServer }
  beforeAll(async () => {
    holder.server = await startScriptedServer()
    holder.server.anthropic.apiKey = key
  })
  afterAll(async () => {
    setSharedBackpressure(null)
    await holder.server.close()
  })
  beforeEach(() => {
    holder.server.anthropic.reset()
    holder.server.anthropic.apiKey = key
    holder.server.requests.length = 0
  })
  return holder
}
