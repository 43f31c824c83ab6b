/**
 * A core whose anthropic policy talks to the scripted server over real HTTP: the server starts once per
 * file, and each test gets a fresh core and server script, with the shared backpressure made
 * deterministic (no jitter, quick retries).
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import { startScriptedServer, type ScriptedServer } from './scripted-server'
import { tempAndon } from './temp-andon'

export interface ScriptedAnthropicCore {
  server: ScriptedServer
  andon: Awaited<ReturnType<typeof tempAndon>>
}

export function useScriptedAnthropicCore(key: string, backpressure: ConstructorParameters<typeof Backpressure>[0]): ScriptedAnthropicCore {
  const core = {} as ScriptedAnthropicCore
  beforeAll(async () => {
    core.server = await startScriptedServer()
    core.server.anthropic.apiKey = key
  })
  afterAll(async () => {
    setSharedBackpressure(null)
    await core.server.close()
  })
  beforeEach(async () => {
    core.server.anthropic.reset()
    core.server.requests.length = 0
    setSharedBackpressure(new Backpressure({ random: () => 0, ...backpressure }))
    core.andon = await tempAndon({ env: { ANTHROPIC_API_KEY: key, ...core.server.allowAnthropic } })
  })
  afterEach(() => core.andon.cleanup())
  return core
}
