import { z } from 'zod'
import { runProcess } from './process'
import type { ToolDefinition } from './tool'

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

/** The spec's verify command (tests, lint): its exit code is the usual success predicate. */
export const verifyTool: ToolDefinition<z.infer<typeof VerifyInput>> = {
  name: 'verify',
  description: "Run the loop's verify command (its tests or checks). Exit code 0 means the task is done.",
  input: VerifyInput,
  // It runs whatever the spec's verify command says: not a read.
  risk: 'medium',
  idempotent: true,
  async run(_args, ctx) {
    if (!ctx.verifyCommand) {
      return { ok: false, exitCode: null, summary: 'no verify command in the spec (termination.verifyCommand)', excerpt: '' }
    }
    return runProcess({ command: ctx.verifyCommand, timeoutMs: 300_000 }, ctx)
  }
}
