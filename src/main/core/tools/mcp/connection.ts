/**
 * One MCP server of a loop: started in the sandbox (stdio) or reached (streamable HTTP), its
 * tools listed, its calls made. A server that ends (or cannot be reached) is started again by
 * the next call, once per call: a server that keeps failing keeps failing calls, which the
 * loop's error streak then escalates.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { ErrorCode, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js'
import type { McpServerSpec } from '../../../../shared/spec'
import { prepareProgram } from '../../sandbox/launch'
import type { McpContext } from './index'
import { SandboxedStdioTransport } from './sandboxed-stdio'

/** A server that pages its tool list forever is not followed past this. */
const MAX_TOOL_PAGES = 100

export type CallOutcome =
  | { kind: 'result'; result: CallToolResult }
  /** The server answered with a JSON-RPC error instead of a result. */
  | { kind: 'refused'; message: string }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  /** No answer: the server ended, could not be reached, or could not be started again. */
  | { kind: 'lost'; why: string }

/** The server's env and headers with the loop's secrets filled in. */
export interface FilledSettings {
  env: Record<string, string>
  headers: Record<string, string>
}

export class McpConnection {
  /** How messages name this server: `MCP server "files" (mcp.0)`. */
  readonly label: string
  /** Said with each call's output when the spec lets the server run without a sandbox. */
  note: string | null = null
  private client: Client | null = null
  private stdio: SandboxedStdioTransport | null = null
  private listed: Tool[] = []
  /** Why the connection is gone (the server ended), until a call starts it again. */
  private broken: string | null = null
  private restarting: Promise<void> | null = null
  private closed = false

  constructor(
    readonly spec: McpServerSpec,
    readonly index: number,
    private readonly ctx: McpContext,
    private readonly settings: FilledSettings
  ) {
    this.label = `MCP server "${spec.name}" (mcp.${index})`
  }

  get tools(): Tool[] {
    return this.listed
  }

  /** Start (or reach) the server and list its tools, within startTimeoutMs; on failure nothing is left running. */
  async start(): Promise<void> {
    try {
      await this.connect()
    } catch (err) {
      throw new Error(`${this.label} did not start: ${(err as Error).message}`)
    }
  }

  /** `; it said: <stderr tail>`, when the server wrote anything to stderr. */
  said(): string {
    const tail = this.stdio?.stderrTail.trim()
    return tail ? `; it said: ${tail}` : ''
  }

  private async connect(): Promise<void> {
    const ms = this.spec.startTimeoutMs
    const attempt = new AbortController()
    const timer = setTimeout(() => attempt.abort(new Error(`no answer within ${ms} ms`)), ms)
    const gaveUp = new Promise<never>((_, reject) => attempt.signal.addEventListener('abort', () => reject(attempt.signal.reason as Error), { once: true }))
    try {
      await Promise.race([this.handshake(attempt.signal), gaveUp])
    } catch (err) {
      // A server that exits while starting only shows the SDK's "connection closed": say how it ended instead.
      const exit = this.stdio?.exit
      const why = this.closed ? 'closed while starting' : `${exit ? `it ended (${exit})` : errorText(err)}${this.said()}`
      await this.disconnect()
      throw new Error(why)
    } finally {
      clearTimeout(timer)
    }
  }

  private async handshake(signal: AbortSignal): Promise<void> {
    const transport = await this.transport(signal)
    const client = new Client({ name: 'andon', version: '1' })
    this.client = client
    client.onclose = () => {
      // Not our own close: the server ended (or its stream did); the next call starts it again.
      if (this.client === client) this.broken = this.stdio?.exit ?? 'connection closed'
    }
    await client.connect(transport, { signal, timeout: this.spec.startTimeoutMs })
    if (this.closed) throw new Error('closed while starting')
    const tools: Tool[] = []
    let cursor: string | undefined
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const listing = await client.listTools(cursor === undefined ? undefined : { cursor }, { signal, timeout: this.spec.startTimeoutMs })
      tools.push(...listing.tools)
      cursor = listing.nextCursor
      if (cursor === undefined) break
    }
    this.listed = tools
  }

  private async transport(signal: AbortSignal): Promise<Transport> {
    const { spec, ctx, settings } = this
    if (spec.url !== undefined) return new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: settings.headers } })
    const launch = await prepareProgram(spec.command!, spec.args, ctx.workspace, ctx.sandbox)
    if ('refused' in launch) throw new Error(`refused: ${launch.refused}`)
    if (signal.aborted || this.closed) {
      launch.release()
      throw signal.aborted ? (signal.reason as Error) : new Error('closed while starting')
    }
    this.note = launch.note
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: ctx.workspace, LANG: 'C.UTF-8', ...settings.env }
    this.stdio = new SandboxedStdioTransport({ script: launch.script, cwd: ctx.workspace, env, release: launch.release })
    return this.stdio
  }

  /** Call one of the server's tools (by its own name); never throws. */
  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallOutcome> {
    if (this.closed) return { kind: 'lost', why: `${this.label} is closed` }
    if (this.broken !== null) {
      const why = this.broken
      try {
        this.restarting ??= this.restart().finally(() => (this.restarting = null))
        await this.restarting
      } catch (err) {
        // Still broken: the next call tries again.
        this.broken = why
        return { kind: 'lost', why: `${this.label} ended earlier (${why}) and did not start again: ${(err as Error).message}` }
      }
    }
    const client = this.client
    if (!client) return { kind: 'lost', why: `${this.label} is not started` }
    if (!this.listed.some((t) => t.name === tool)) return { kind: 'lost', why: `${this.label} no longer lists a tool "${tool}"` }
    // The SDK leaves a listener on the signal it is given: each call gets its own, tied to the loop's and let go after.
    const call = new AbortController()
    const onAbort = () => call.abort(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    if (signal.aborted) onAbort()
    try {
      const result = (await client.callTool({ name: tool, arguments: args }, undefined, { signal: call.signal, timeout: this.spec.timeoutMs })) as CallToolResult
      return { kind: 'result', result }
    } catch (err) {
      if (signal.aborted) return { kind: 'cancelled' }
      if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) return { kind: 'timeout' }
      if (this.stdio?.exit) return { kind: 'lost', why: `${this.label} ended during the call (${this.stdio.exit})${this.said()}` }
      if (err instanceof McpError && err.code !== ErrorCode.ConnectionClosed) return { kind: 'refused', message: err.message }
      // Unreachable (an HTTP server gone, its session lost): the next call connects again.
      this.broken = errorText(err)
      return { kind: 'lost', why: `${this.label}: ${this.broken}` }
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  private async restart(): Promise<void> {
    await this.disconnect()
    this.broken = null
    await this.connect()
  }

  private async disconnect(): Promise<void> {
    const client = this.client
    const stdio = this.stdio
    this.client = null
    this.stdio = null
    if (client) await client.close().catch(() => undefined)
    // A server that was still being started has a transport and no connected client yet.
    if (stdio) await stdio.close()
  }

  async close(): Promise<void> {
    this.closed = true
    await this.restarting?.catch(() => undefined)
    await this.disconnect()
  }
}

/**
 * An error as said to the operator: an HTTP server's refusal with its status (its body may be
 * empty); a failed fetch with its cause (fetch itself only says "fetch failed").
 */
function errorText(err: unknown): string {
  const message = (err as Error).message
  if (err instanceof StreamableHTTPError && err.code !== undefined) return `${message.replace(/:\s*$/, '')} (HTTP ${err.code})`
  const cause = (err as { cause?: unknown }).cause
  return cause instanceof Error ? `${message} (${cause.message})` : message
}
