/**
 * Claude Code's tools as Andon sees them: a risk for the approval gate, a light input schema so
 * an operator's edit is checked before it runs, and a run that hands the approved call back to
 * the session (Claude Code carries it out; Andon only records what happened).
 */
import { isAbsolute, relative, resolve } from 'node:path'
import { z } from 'zod'
import type { ClaudeCodePolicySpec, RiskLevel } from '../../../../shared/spec'
import type { AnyTool, ToolContext, ToolResult } from '../../tools/tool'

/** Andon's default risk for Claude Code's tools; a spec overrides any of them (`policy.toolRisk`). */
export const CLAUDE_CODE_RISK: Readonly<Record<string, RiskLevel>> = {
  Read: 'low',
  Glob: 'low',
  Grep: 'low',
  LS: 'low',
  NotebookRead: 'low',
  TodoWrite: 'low',
  ExitPlanMode: 'low',
  BashOutput: 'low',
  ListAgents: 'low',
  Edit: 'medium',
  MultiEdit: 'medium',
  Write: 'medium',
  NotebookEdit: 'medium',
  Task: 'medium',
  Agent: 'medium',
  WebSearch: 'medium',
  Bash: 'high',
  KillShell: 'high',
  WebFetch: 'high'
}
/** Anything not in the table (an MCP tool, a tool newer than this table) is gated as high risk. */
const UNKNOWN_RISK: RiskLevel = 'high'

const FILE_TOOLS = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit'])

const Args = z.record(z.string(), z.unknown())
const INPUTS: Record<string, z.ZodType<Record<string, unknown>>> = {
  Bash: z.looseObject({ command: z.string().min(1) }),
  Edit: z.looseObject({ file_path: z.string().min(1), old_string: z.string(), new_string: z.string() }),
  Write: z.looseObject({ file_path: z.string().min(1), content: z.string() }),
  Read: z.looseObject({ file_path: z.string().min(1) })
}

/** A file edit that lands outside the loop's workspace is high risk whatever the table says. */
function editsOutside(name: string, args: Record<string, unknown>, workspace: string): boolean {
  if (!FILE_TOOLS.has(name)) return false
  const path = args.file_path ?? args.notebook_path
  if (typeof path !== 'string') return true
  const rel = relative(workspace, resolve(workspace, path))
  return rel.startsWith('..') || isAbsolute(rel)
}

/** The spec's risk for the tool, else the table's, else high. */
function tableRisk(spec: ClaudeCodePolicySpec, name: string): RiskLevel {
  return spec.toolRisk[name] ?? CLAUDE_CODE_RISK[name] ?? UNKNOWN_RISK
}

export function claudeCodeRisk(spec: ClaudeCodePolicySpec, name: string, args: Record<string, unknown>, workspace: string): RiskLevel {
  return editsOutside(name, args, workspace) ? 'high' : tableRisk(spec, name)
}

export function claudeCodeTool(spec: ClaudeCodePolicySpec, name: string): AnyTool {
  return {
    name,
    description: `Claude Code's ${name} tool`,
    input: INPUTS[name] ?? Args,
    risk: tableRisk(spec, name),
    riskFor: (args: Record<string, unknown>, workspace: string) => claudeCodeRisk(spec, name, args, workspace),
    // Claude Code's calls are not re-run by Andon: after a crash the session is asked to go on.
    idempotent: false,
    run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> {
      if (!ctx.agent) {
        return Promise.resolve({ ok: false, exitCode: null, summary: `${name} did not run: no Claude Code session holds this call`, excerpt: '' })
      }
      return ctx.agent.run(ctx.callId, name, args, ctx)
    }
  }
}
