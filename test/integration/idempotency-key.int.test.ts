import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { TraceStore } from '../../src/main/core/store/trace-store'
import { Supervisor } from '../../src/main/core/supervisor/supervisor'
import { createToolRegistry } from '../../src/main/core/tools'
import type { ToolDefinition } from '../../src/main/core/tools/tool'
import { spec } from '../support/specs'
import { tempDir } from '../support/temp-andon'

describe('idempotency keys', () => {
  it('the tool is handed the key recorded in ToolStarted, distinct per call', async () => {
    const seen: string[] = []
    const probe: ToolDefinition<Record<string, never>> = {
      name: 'probe',
      description: 'records its idempotency key',
      input: z.object({}).strict() as never,
      risk: 'low',
      idempotent: true,
      run: async (_args, ctx) => {
        seen.push(ctx.idempotencyKey)
        return { ok: true, exitCode: 0, summary: 'probed', excerpt: String(seen.length) }
      }
    }
    const dir = tempDir()
    const store = new TraceStore({ path: join(dir, 'andon.db') })
    try {
      const supervisor = new Supervisor({ store, tools: createToolRegistry([probe]), dataDir: dir, env: {} })
      const loopId = await supervisor.launch(
        spec({ policy: { kind: 'rules', rules: [{ name: 'p', when: {}, then: { tool: 'probe' } }] }, invariants: { maxIterations: 3, sameActionLimit: 10, progressEvery: 10 } })
      )
      await supervisor.settled(loopId)
      const recorded = store.readStream(loopId).flatMap((e) => (e.type === 'ToolStarted' ? [e.data.idempotencyKey] : []))
      expect(recorded).toHaveLength(3)
      expect(seen).toEqual(recorded)
      expect(new Set(recorded).size).toBe(3)
    } finally {
      store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
