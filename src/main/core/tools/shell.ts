import { z } from 'zod'
import { runProcess } from './process'
import { verifyStages } from '../../../shared/spec'
import type { ToolDefinition, ToolResult } from './tool'

const RunCommandInput = z
  .object({
    command: z.string().min(1).max(10_000),
    timeoutMs: z.number().int().positive().max(3_600_000).default(120_000)
  })
  .strict()

export const runCommandTool: ToolDefinition<z.infer<typeof RunCommandInput>> = {
  name: 'run_command',
  description: "Run a shell command in the loop's workspace and return its exit code and output.",
  input: RunCommandInput,
  risk: 'high',
  idempotent: false,
  run: (args, ctx) => runProcess({ command: args.command, timeoutMs: args.timeoutMs }, ctx)
}

const VerifyInput = z.object({}).strict()

/**
 * The spec's verify command (tests, lint), or its stages in order (lint → unit → integration):
 * the first stage that fails ends the run and is named. Its exit code is the usual success predicate.
 */
export const verifyTool: ToolDefinition<z.infer<typeof VerifyInput>> = {
  name: 'verify',
  description: "Run the loop's verify command (its tests or checks). Exit code 0 means the task is done.",
  input: VerifyInput,
  // It runs whatever the spec's verify command says: not a read.
  risk: 'medium',
  idempotent: true,
  async run(_args, ctx) {
    const stages = ctx.verifyStages ?? verifyStages({ verifyCommand: ctx.verifyCommand })
    if (stages.length === 0) {
      return { ok: false, exitCode: null, summary: 'no verify command in the spec (termination.verifyCommand or termination.verify)', excerpt: '' }
    }
    if (!ctx.verifyStages) return runProcess({ command: stages[0].command, timeoutMs: stages[0].timeoutMs }, ctx)
    let last: ToolResult | null = null
    for (const [i, stage] of stages.entries()) {
      ctx.emit('info', `[stage ${i + 1} of ${stages.length}: ${stage.name}: ${stage.command}]\n`)
      last = await runProcess({ command: stage.command, timeoutMs: stage.timeoutMs }, ctx)
      if (!last.ok) return { ...last, summary: `verify: stage ${stage.name} (${i + 1} of ${stages.length}) failed: ${last.summary}` }
      if (ctx.signal.aborted) break
    }
    return { ...last!, summary: `verify: all ${stages.length} stages passed (${stages.map((s) => s.name).join(', ')})` }
  }
}
