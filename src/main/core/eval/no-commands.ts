/**
 * What the gate option `--no-commands` refuses: every way a spec could make Andon start a program.
 * A gate run inside another loop's sandbox (the improvement loop's verify) has no sandbox of its
 * own to give a candidate's commands, and `sandbox.allowUnsandboxed` would run them there directly,
 * able to write whatever that loop can, its judge included. Refused before any run, at its field.
 */
import { builtinSelection, isCommandTool, type LoopSpec } from '../../../shared/spec'
import { COMMAND_TOOLS } from '../sandbox/status'
import type { FieldProblem } from '../specs/spec-checks'

export function commandProblems(spec: LoopSpec): FieldProblem[] {
  const out: FieldProblem[] = []
  const kind = spec.policy.kind
  if (kind === 'process') out.push({ path: 'policy.kind', message: 'a process policy starts its agent program' })
  if (kind === 'claude-code') out.push({ path: 'policy.kind', message: 'a claude-code policy starts Claude Code, which runs commands of its own' })
  if (builtinSelection(spec.tools).length === 0) out.push({ path: 'tools', message: 'no built-in tool picked means every one, run_command and verify included' })
  spec.tools.forEach((t, i) => {
    if (isCommandTool(t)) out.push({ path: `tools[${i}].command`, message: `the command tool ${t.name} runs a program` })
    else if (COMMAND_TOOLS.includes(t.name)) out.push({ path: `tools[${i}]`, message: `${t.name} runs commands` })
  })
  spec.mcp.forEach((m, i) => {
    if (m.command !== undefined) out.push({ path: `mcp[${i}].command`, message: `the MCP server ${m.name} is a program Andon starts` })
  })
  if (spec.sandbox.allowUnsandboxed) out.push({ path: 'sandbox.allowUnsandboxed', message: 'would run commands with no sandbox of their own' })
  return out
}
