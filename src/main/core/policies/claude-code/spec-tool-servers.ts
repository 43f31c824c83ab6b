/**
 * The spec's own tools (command tools, MCP servers' tools) offered to Claude Code: served from
 * Andon's process as in-process MCP servers, so every call still waits at Andon's gate and runs
 * the way Andon runs it (in the sandbox, through Andon's MCP client). An MCP tool keeps its name:
 * Claude Code calls `mcp__<server>__<tool>` as Andon does; a command tool is served as
 * `mcp__andon__<name>` and recorded under its own name.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { McpSdkServerConfigWithInstance } from '@anthropic-ai/claude-agent-sdk'
import { parseMcpToolName } from '../../tools/mcp/annotations'
import type { AnyTool, ToolDescriptor, ToolResult } from '../../tools/tool'
import { describeTool } from '../../tools/tool'

/** The server Claude Code reaches the spec's command tools through (a spec's MCP server may not take this name). */
export const COMMAND_TOOLS_SERVER = 'andon'
const ALWAYS_LOAD = 'anthropic/alwaysLoad'
/** Andon ends each call at the tool's own limit (at most an hour); Claude Code's own limit must not come first. */
const CALL_LIMIT_MS = 3_660_000

/** Andon's name for a tool Claude Code calls: a command tool's own name, else the same. */
export function andonNameOf(claudeName: string): string {
  const mcp = parseMcpToolName(claudeName)
  return mcp?.server === COMMAND_TOOLS_SERVER ? mcp.tool : claudeName
}

/** Runs a spec tool for a call the gate let through (null: no call of that tool was let through). */
export type RunApproved = (tool: AnyTool, args: Record<string, unknown>) => Promise<ToolResult | null>

function asMcpResult(r: ToolResult): CallToolResult {
  return { content: [{ type: 'text', text: [r.summary, r.excerpt].filter(Boolean).join('\n\n') }], isError: !r.ok }
}

type Served = { as: string; tool: AnyTool; described: ToolDescriptor }
type ServerSdk = typeof import('@modelcontextprotocol/sdk/server/mcp.js') & typeof import('@modelcontextprotocol/sdk/types.js')

function serverFor({ McpServer, ListToolsRequestSchema, CallToolRequestSchema }: ServerSdk, name: string, tools: Served[], run: RunApproved): McpSdkServerConfigWithInstance {
  const mcp = new McpServer({ name, version: '1.0.0' }, { capabilities: { tools: {} } })
  mcp.server.setRequestHandler(ListToolsRequestSchema, async () => ({
    // Declared by the operator, so always in Claude's prompt (not deferred behind Claude Code's tool search).
    tools: tools.map(({ as, described }) => ({ name: as, description: described.description, inputSchema: described.inputSchema as { type: 'object' }, _meta: { [ALWAYS_LOAD]: true } }))
  }))
  mcp.server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const entry = tools.find((t) => t.as === req.params.name)
    if (!entry) return { content: [{ type: 'text', text: `no tool ${req.params.name}` }], isError: true }
    const result = await run(entry.tool, req.params.arguments ?? {})
    return result ? asMcpResult(result) : { content: [{ type: 'text', text: 'Andon did not let this call through its gate; it was not run' }], isError: true }
  })
  return { type: 'sdk', name, instance: mcp, timeout: CALL_LIMIT_MS }
}

/**
 * One in-process server per MCP server of the spec, and one for its command tools. The MCP
 * server SDK is loaded here, for the sessions that need it, not with every Andon process.
 */
export async function specToolServers(tools: AnyTool[], run: RunApproved): Promise<Record<string, McpSdkServerConfigWithInstance>> {
  const sdk = { ...(await import('@modelcontextprotocol/sdk/server/mcp.js')), ...(await import('@modelcontextprotocol/sdk/types.js')) }
  const groups = new Map<string, Served[]>()
  for (const tool of tools) {
    const mcp = parseMcpToolName(tool.name)
    const [server, as] = mcp ? [mcp.server, mcp.tool] : [COMMAND_TOOLS_SERVER, tool.name]
    groups.set(server, [...(groups.get(server) ?? []), { as, tool, described: describeTool(tool) }])
  }
  return Object.fromEntries([...groups].map(([server, entries]) => [server, serverFor(sdk, server, entries, run)]))
}
