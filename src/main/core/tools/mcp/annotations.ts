/**
 * What an MCP tool is to Andon's gate: its loop name and, from the server's annotations (over
 * which the spec's per-tool overrides win), its risk and whether re-running it after a crash is safe.
 */
import type { RiskLevel } from '../../../../shared/spec'

/** The hints MCP servers give about a tool (all optional, all advisory). */
export interface McpToolHints {
  readOnlyHint?: boolean
  destructiveHint?: boolean
  idempotentHint?: boolean
}

export interface McpToolOverride {
  risk?: RiskLevel
  idempotent?: boolean
}

/** The Anthropic API's limit on a tool name, and so the loop's. */
export const MAX_TOOL_NAME_LENGTH = 64

/**
 * Read-only is low risk; destructive is high; anything else (hints absent included) medium.
 * A read-only tool changes nothing, so it is safe to run again whatever idempotentHint says
 * (MCP only gives idempotentHint a meaning for tools that are not read-only).
 */
export function mcpToolTraits(hints: McpToolHints | undefined, override: McpToolOverride = {}): { risk: RiskLevel; idempotent: boolean } {
  const readOnly = hints?.readOnlyHint === true
  const risk: RiskLevel = readOnly ? 'low' : hints?.destructiveHint === true ? 'high' : 'medium'
  const idempotent = readOnly || hints?.idempotentHint === true
  return { risk: override.risk ?? risk, idempotent: override.idempotent ?? idempotent }
}

/** `mcp__<server>__<tool>`, with whatever a tool name may not hold turned into `_`. */
export function mcpToolName(server: string, tool: string): string {
  return `mcp__${server}__${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`
}

const MCP_TOOL_NAME = /^mcp__([A-Za-z0-9-]+)__(.*)$/

/** The server and tool of a name in the `mcp__<server>__<tool>` form, or null for any other name. */
export function parseMcpToolName(name: string): { server: string; tool: string } | null {
  const m = MCP_TOOL_NAME.exec(name)
  return m ? { server: m[1], tool: m[2] } : null
}

/**
 * The loop names of one server's tools (by the server's name for each), or why they cannot be
 * the loop's: a name over the limit, or two tools that end up with the same name.
 */
export function mcpToolNames(server: string, tools: string[]): { names: Map<string, string> } | { problem: string } {
  const names = new Map<string, string>()
  const byName = new Map<string, string>()
  for (const tool of tools) {
    const name = mcpToolName(server, tool)
    if (name.length > MAX_TOOL_NAME_LENGTH) return { problem: `its tool "${tool}" would be ${name}, longer than ${MAX_TOOL_NAME_LENGTH} characters` }
    const other = byName.get(name)
    if (other !== undefined) return { problem: `its tools "${other}" and "${tool}" would both be ${name}` }
    byName.set(name, tool)
    names.set(tool, name)
  }
  return { names }
}
