/**
 * Checks a spec needs this installation to answer: do the tools it names exist here, and does
 * its workspace template exist. Each problem names the field, like a schema error, so the Launch
 * form and `andon run` show it before anything is created.
 */
import { statSync } from 'node:fs'
import { builtinSelection, isCommandTool, type LoopSpec } from '../../../shared/spec'
import type { ToolRegistry } from '../tools/tool'
import { COMMAND_TOOLS_SERVER } from '../policies/claude-code/spec-tool-servers'
import { parseMcpToolName } from '../tools/mcp/annotations'

export interface FieldProblem {
  path: string
  message: string
}

export function toolProblems(spec: LoopSpec, tools: ToolRegistry): FieldProblem[] {
  const out: FieldProblem[] = []
  const known = tools.list().map((t) => t.name)
  const seen = new Set<string>()
  spec.tools.forEach((t, i) => {
    if (seen.has(t.name)) out.push({ path: `tools.${i}.name`, message: `tool "${t.name}" is listed twice` })
    seen.add(t.name)
    if (isCommandTool(t)) {
      if (tools.get(t.name)) out.push({ path: `tools.${i}.name`, message: `"${t.name}" is a built-in tool: a command tool needs a name of its own` })
      else if (parseMcpToolName(t.name)) out.push({ path: `tools.${i}.name`, message: 'names starting mcp__ are for MCP servers\' tools' })
    } else if (!tools.get(t.name)) {
      out.push({ path: `tools.${i}.name`, message: `unknown tool "${t.name}" (this Andon has: ${known.join(', ')}; or give it a command)` })
    }
  })
  const mcpServers = new Set(spec.mcp.map((m) => m.name))
  spec.mcp.forEach((m, i) => {
    if (spec.mcp.findIndex((o) => o.name === m.name) !== i) out.push({ path: `mcp.${i}.name`, message: `another MCP server is already named "${m.name}"` })
    if (m.name === COMMAND_TOOLS_SERVER) out.push({ path: `mcp.${i}.name`, message: `"${COMMAND_TOOLS_SERVER}" is the name Andon serves the spec's command tools under: choose another` })
  })
  // An MCP server's tools are known once it runs: a name of one of the spec's servers is taken on trust here.
  const fromSpec = (name: string) => spec.tools.some((t) => t.name === name && isCommandTool(t)) || mcpServers.has(parseMcpToolName(name)?.server ?? '')
  const usable = (name: string) => fromSpec(name) || tools.forSpec(name, builtinSelection(spec.tools)) !== undefined
  const why = (name: string) => {
    const mcp = parseMcpToolName(name)
    return tools.get(name) ? `tool "${name}" is not in the spec's tools list` : mcp ? `no MCP server in the spec is named "${mcp.server}"` : `unknown tool "${name}"`
  }
  if (spec.policy.kind === 'rules') {
    spec.policy.rules.forEach((r, i) => {
      if (!usable(r.then.tool)) out.push({ path: `policy.rules.${i}.then.tool`, message: why(r.then.tool) })
    })
  }
  if (!usable(spec.termination.successTool)) out.push({ path: 'termination.successTool', message: why(spec.termination.successTool) })
  // Claude Code's "done" is checked, never taken on its word: the loop needs a command to check it with.
  if (spec.policy.kind === 'claude-code' && spec.termination.successTool === 'verify' && !spec.termination.verifyCommand && !spec.termination.verify) {
    out.push({ path: 'termination.verifyCommand', message: 'a claude-code loop needs a verify command: Andon runs it when Claude Code says it is done' })
  }
  return out
}

/** The template folder must exist and be a folder (null template: the loop starts empty). */
export function workspaceProblem(template: string | null): FieldProblem | null {
  if (template === null) return null
  try {
    if (statSync(template).isDirectory()) return null
    return { path: 'workspace', message: `the workspace template ${template} is not a folder` }
  } catch {
    return { path: 'workspace', message: `the workspace template ${template} does not exist` }
  }
}
