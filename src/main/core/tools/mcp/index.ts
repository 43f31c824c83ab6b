/**
 * MCP tool servers a spec lists: started (stdio, in the sandbox) or reached (streamable HTTP)
 * when the loop first needs its tools, and closed with the loop. Each server tool is the loop's
 * tool `mcp__<server>__<tool>`.
 */
import type { McpServerSpec, SandboxSpec } from '../../../../shared/spec'
import type { AnyTool } from '../tool'
import { mcpToolNames } from './annotations'
import type { McpConnection } from './connection'
import { mcpTool } from './mcp-tool'
import { fillSecrets } from '../../secrets/secret-refs'

export interface McpContext {
  workspace: string
  /** The loop's secrets by name: for `${NAME}` in env and headers, never recorded. */
  secrets: Record<string, string>
  sandbox: SandboxSpec
}

export class McpToolset {
  private connections: McpConnection[] = []
  private listed: AnyTool[] = []

  constructor(
    readonly servers: McpServerSpec[],
    readonly ctx: McpContext
  ) {}

  /** Start every server and list its tools; if any cannot, none is left running and this rejects saying why. */
  async open(): Promise<void> {
    await this.close()
    if (this.servers.length === 0) return
    // The MCP client is loaded for the loops that list a server, not with every Andon process.
    const { McpConnection } = await import('./connection')
    // Settings first: a missing secret fails before anything starts.
    const connections = this.servers.map((s, i) => {
      const settings = { env: fillSecrets(s.env, this.ctx.secrets, `mcp.${i}.env`), headers: fillSecrets(s.headers, this.ctx.secrets, `mcp.${i}.headers`) }
      return new McpConnection(s, i, this.ctx, settings)
    })
    this.connections = connections
    try {
      sameNames(this.servers)
      const started = await Promise.allSettled(connections.map((c) => c.start()))
      const failed = started.find((r) => r.status === 'rejected')
      if (failed) throw failed.reason
      if (this.connections !== connections) throw new Error('the MCP servers were closed while starting')
      this.listed = connections.flatMap(toolsOf)
    } catch (err) {
      // Only this opening's servers: a close() and another open() may have come meanwhile.
      await Promise.all(connections.map((c) => c.close()))
      if (this.connections === connections) this.connections = []
      throw err
    }
  }

  tools(): AnyTool[] {
    return this.listed
  }

  /** Close every server (a stdio server's whole process group ends). */
  async close(): Promise<void> {
    const connections = this.connections
    this.connections = []
    this.listed = []
    await Promise.all(connections.map((c) => c.close()))
  }
}

function sameNames(servers: McpServerSpec[]): void {
  servers.forEach((s, i) => {
    const first = servers.findIndex((o) => o.name === s.name)
    if (first !== i) throw new Error(`mcp.${first} and mcp.${i} are both named "${s.name}": their tools would have the same names`)
  })
}

/** The server's tools as loop tools; throws naming the server when one cannot be. */
function toolsOf(c: McpConnection): AnyTool[] {
  const serverTools = c.tools.map((t) => t.name)
  const named = mcpToolNames(c.spec.name, serverTools)
  if ('problem' in named) throw new Error(`${c.label}: ${named.problem}`)
  for (const overridden of Object.keys(c.spec.tools)) {
    if (!serverTools.includes(overridden)) throw new Error(`mcp.${c.index}.tools.${overridden}: ${c.label} has no tool by that name (it has ${serverTools.join(', ') || 'none'})`)
  }
  return c.tools.map((t) => {
    try {
      return mcpTool(named.names.get(t.name)!, t, c)
    } catch (err) {
      throw new Error(`${c.label}: the input schema of its tool "${t.name}" is not usable: ${(err as Error).message}`)
    }
  })
}
