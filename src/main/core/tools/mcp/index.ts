/**
 * MCP tool servers a spec lists: started (stdio, in the sandbox) or reached (streamable HTTP)
 * when the loop first needs its tools, and closed with the loop.
 */
import type { McpServerSpec, SandboxSpec } from '../../../../shared/spec'
import type { AnyTool } from '../tool'

export interface McpContext {
  workspace: string
  /** The loop's secrets by name: for `${NAME}` in env and headers, never recorded. */
  secrets: Record<string, string>
  sandbox: SandboxSpec
}

export class McpToolset {
  constructor(
    readonly servers: McpServerSpec[],
    readonly ctx: McpContext
  ) {}

  async open(): Promise<void> {
    if (this.servers.length > 0) throw new Error('MCP servers are not supported yet')
  }

  tools(): AnyTool[] {
    return []
  }

  async close(): Promise<void> {}
}
