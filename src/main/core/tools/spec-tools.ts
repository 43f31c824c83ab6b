/**
 * The tools a spec brings itself: its command tools and its MCP servers' tools. Opened when the
 * loop first needs them (MCP servers start then), closed when the loop ends or lets go.
 */
import type { LoopSpec } from '../../../shared/spec'
import { commandTool, isCommandTool } from './command-tool'
import { McpToolset, type McpContext } from './mcp'
import type { AnyTool } from './tool'

/** A spec's tools could not be made ready (an MCP server did not start): said to the operator. */
export class ToolsUnavailable extends Error {}

export class SpecTools {
  private readonly commands: AnyTool[]
  private readonly mcp: McpToolset
  private opened: Promise<void> | null = null

  constructor(spec: LoopSpec, ctx: McpContext) {
    this.commands = spec.tools.filter(isCommandTool).map(commandTool)
    this.mcp = new McpToolset(spec.mcp, ctx)
  }

  /** Start what the tools need, once; after a failure or a close, the next call tries again. */
  open(): Promise<void> {
    this.opened ??= this.mcp.open().catch((err: unknown) => {
      this.opened = null
      throw err instanceof ToolsUnavailable ? err : new ToolsUnavailable((err as Error).message)
    })
    return this.opened
  }

  list(): AnyTool[] {
    return [...this.commands, ...this.mcp.tools()]
  }

  get(name: string): AnyTool | undefined {
    return this.list().find((t) => t.name === name)
  }

  close(): void {
    this.opened = null
    void this.mcp.close().catch(() => undefined)
  }
}
