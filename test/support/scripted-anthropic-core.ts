/**
 * A core whose anthropic policy talks to the scripted server over real HTTP: the server is one per
 * file (scriptedServerPerFile), and each test gets a fresh core, with the shared backpressure made
 * deterministic (no jitter, quick retries).
 */
import { afterEach, beforeEach } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import type { ScriptedServer } from './scripted-server'
import { scriptedServerPerFile } from './scripted-server/per-file'
import { tempAndon } from './temp-andon'

export interface ScriptedAnthropicCore {
  readonly server: ScriptedServer
  andon: Awaited<ReturnType<typeof tempAndon>>
}

export function useScriptedAnthropicCore(key: string, backpressure: ConstructorParameters<typeof Backpressure>[0]): ScriptedAnthropicCore {
  const perFile = scriptedServerPerFile(key)
  const core = {
    get server() {
      return perFile.server
    }
  } as ScriptedAnthropicCore
  beforeEach(async () => {
    setSharedBackpressure(new Backpressure({ random: () => 0, ...backpressure }))
    core.andon = await tempAndon({ env: { ANTHROPIC_API_KEY: key, ...perFile.server.allowAnthropic } })
  })
  afterEach(() => core.andon.cleanup())
  return core
}
