/**
 * The harness of the recorded-history tests: one scripted provider server for the file, and for
 * each scenario a fresh temp core that may call it (the key set, retries off so a scripted error
 * is seen at once); crashed children are killed when the file ends.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import { killCrashChildren } from '../support/crash'
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server'
import { tempAndon } from '../support/temp-andon'

export type Core = Awaited<ReturnType<typeof tempAndon>>

export const GOLDEN_KEY = 'sk-ant-golden-0123456789abcdef'

export function describeScenarios<S>(title: string, scenarios: Record<string, S>, check: (name: string, scenario: S, andon: Core, server: ScriptedServer) => Promise<void>): void {
  let server: ScriptedServer
  beforeAll(async () => {
    server = await startScriptedServer()
    server.anthropic.apiKey = GOLDEN_KEY
  })
  afterAll(async () => {
    killCrashChildren()
    setSharedBackpressure(null)
    await server.close()
  })
  describe(title, () => {
    for (const [name, scenario] of Object.entries(scenarios)) {
      it(name, async () => {
        server.anthropic.reset()
        setSharedBackpressure(new Backpressure({ random: () => 0, retry: { maxAttempts: 1 } }))
        const andon = await tempAndon({ env: { ANTHROPIC_API_KEY: GOLDEN_KEY, ...server.allowAnthropic } })
        try {
          await check(name, scenario, andon, server)
        } finally {
          await andon.cleanup()
        }
      })
    }
  })
}
