/**
 * One MCP server tool as a loop tool: its input checked against the server's JSON Schema before
 * the call is proposed, its result turned into the text a tool's output is, capped like every
 * tool's. Nothing a server does (an error, no answer, ending mid-call) throws out of run().
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'
import { jsonSchemaInput } from '../json-schema-input'
import { OutputCapture } from '../output'
import type { AnyTool, ToolContext, ToolResult } from '../tool'
import { mcpToolTraits } from './annotations'
import type { CallOutcome, McpConnection } from './connection'

const SUMMARY_CHARS = 300

/** A result's content as text: text as is, other kinds named; structured content when there is no text. */
export function resultText(result: CallToolResult): string {
  const parts = (result.content ?? []).map((c) => {
    switch (c.type) {
      case 'text':
        return c.text
      case 'image':
      case 'audio':
        return `[${c.type} ${c.mimeType}, ${Math.floor((c.data.length * 3) / 4)} bytes]`
      case 'resource':
        return `[resource ${c.resource.uri}]`
      case 'resource_link':
        return `[resource ${c.uri}]`
      default:
        return `[${(c as { type: string }).type}]`
    }
  })
  const hasText = (result.content ?? []).some((c) => c.type === 'text')
  if (!hasText && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent, null, 2))
  return parts.join('\n')
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? ''
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS)}…` : line
}

/** The loop tool `name` for the server's tool `tool`. Throws when its input schema is not usable. */
export function mcpTool(name: string, tool: Tool, server: McpConnection): AnyTool {
  const schema = tool.inputSchema as Record<string, unknown>
  // Andon's checker reads draft-07; a server's `$schema` naming a later draft would stop it, and the keywords tools use are the same.
  const { $schema: _drafts, ...checked } = schema
  const { risk, idempotent } = mcpToolTraits(tool.annotations, server.spec.tools[tool.name])
  return {
    name,
    description: tool.description ?? tool.title ?? `The tool "${tool.name}" of the MCP server "${server.spec.name}".`,
    input: jsonSchemaInput(checked),
    inputSchema: schema,
    risk,
    idempotent,
    run: async (args: Record<string, unknown>, ctx: ToolContext) => {
      if (server.note) ctx.emit('info', server.note)
      return toolResult(name, await server.call(tool.name, args, ctx.signal), server.spec.timeoutMs, ctx)
    }
  }
}

function toolResult(name: string, outcome: CallOutcome, timeoutMs: number, ctx: ToolContext): ToolResult {
  switch (outcome.kind) {
    case 'timeout':
      return { ok: false, exitCode: null, summary: `${name}: no answer in ${timeoutMs} ms`, excerpt: '' }
    case 'cancelled':
      return { ok: false, exitCode: null, summary: `${name}: cancelled`, excerpt: '' }
    case 'lost':
      return { ok: false, exitCode: null, summary: `${name}: ${outcome.why}`, excerpt: '' }
    case 'refused':
      return { ok: false, exitCode: 1, summary: `${name}: the server answered with an error: ${firstLine(outcome.message)}`, excerpt: outcome.message }
    case 'result': {
      const text = resultText(outcome.result)
      const capture = new OutputCapture(ctx.emit)
      capture.push('stdout', Buffer.from(text, 'utf8'))
      capture.end()
      const failed = outcome.result.isError === true
      const said = firstLine(text)
      return {
        ok: !failed,
        exitCode: failed ? 1 : 0,
        summary: failed ? `${name}: error${said ? `: ${said}` : ''}` : `${name}: ok`,
        excerpt: capture.excerpt,
        outputBytes: capture.bytes,
        truncated: capture.truncated
      }
    }
  }
}
