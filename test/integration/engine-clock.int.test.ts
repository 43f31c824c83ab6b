/**
 * Durations are measured on a monotonic clock: a wall clock stepped back an hour in the middle
 * of a call (NTP, a laptop waking up) changes neither the call's duration nor the loop's fate.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TraceStore } from '../../src/main/core/store/trace-store'
import { Supervisor } from '../../src/main/core/supervisor/supervisor'
import { createToolRegistry } from '../../src/main/core/tools'
import { spec } from '../support/specs'
import { tempDir } from '../support/temp-andon'

describe('durations', () => {
  it('a wall clock stepped back during a call does not make its duration negative or an hour long', async () => {
    const dataDir = tempDir()
    const store = new TraceStore({ path: join(dataDir, 'andon.db') })
    let offset = 0
    const supervisor = new Supervisor({ store, tools: createToolRegistry(), dataDir, env: {}, clock: () => Date.now() - offset })
    const unsubscribe = store.subscribe((events) => {
      if (events.some((e) => e.type === 'ToolStarted')) offset = 3_600_000
    })
    try {
      const loopId = await supervisor.launch(
        spec({
          policy: { kind: 'rules', rules: [{ name: 'wait', when: {}, then: { tool: 'run_command', args: { command: 'sleep 0.3' } } }] },
          invariants: { maxIterations: 1 }
        })
      )
      await supervisor.settled(loopId)
      const finished = store.readStream(loopId).find((e) => e.type === 'ToolFinished') as { data: { durationMs: number } } | undefined
      expect(finished?.data.durationMs).toBeGreaterThanOrEqual(250)
      expect(finished?.data.durationMs).toBeLessThan(10_000)
      expect(supervisor.liveState(loopId).termination?.reason).toBe('MAX_ITERATIONS')
    } finally {
      unsubscribe()
      await supervisor.stopAll()
      store.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
