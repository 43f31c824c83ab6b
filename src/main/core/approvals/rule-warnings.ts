/**
 * Approval rules that would silently match nothing: a pattern naming a tool this loop never calls
 * (`bash(rm:*)` for `Bash`, `mcp__gihtub` for a server the spec does not have). Warnings, not
 * errors: the loop may start, and the operator sees which rule does nothing and why.
 */
import { parseRulePattern } from '../../../shared/approval-rules'
import { builtinSelection, isCommandTool, type LoopSpec } from '../../../shared/spec'
import { CLAUDE_CODE_RISK } from '../policies/claude-code/tools'
import type { FieldProblem } from '../specs/spec-checks'
import { parseMcpToolName } from '../tools/mcp/annotations'
import type { ToolRegistry } from '../tools/tool'

/** The tool names this spec's loops can propose, and a test for MCP names (known only once the servers run). */
function toolsOf(spec: LoopSpec, tools: ToolRegistry): { names: string[]; has(name: string): boolean } {
  const andon = tools.list().filter((t) => tools.forSpec(t.name, builtinSelection(spec.tools))).map((t) => t.name)
  const own = spec.tools.filter(isCommandTool).map((t) => t.name)
  const claude = spec.policy.kind === 'claude-code' ? Object.keys(CLAUDE_CODE_RISK) : []
  const names = [...new Set([...claude, ...andon, ...own])]
  const servers = new Set(spec.mcp.map((m) => m.name))
  const has = (name: string) => {
    if (names.includes(name)) return true
    const server = parseMcpToolName(name)?.server ?? /^mcp__([A-Za-z0-9-]+)$/.exec(name)?.[1]
    return server !== undefined && servers.has(server)
  }
  return { names, has }
}

export function approvalRuleWarnings(spec: LoopSpec, tools: ToolRegistry): FieldProblem[] {
  if (!spec.approvals) return []
  const loopTools = toolsOf(spec, tools)
  const out: FieldProblem[] = []
  for (const effect of ['allow', 'ask', 'deny'] as const) {
    spec.approvals[effect].forEach((text, i) => {
      const parsed = parseRulePattern(text)
      if (!parsed.ok || loopTools.has(parsed.pattern.tool)) return
      const tool = parsed.pattern.tool
      const near = loopTools.names.find((n) => n.toLowerCase() === tool.toLowerCase())
      const mcp = tool.startsWith('mcp__') ? ` (no MCP server in the spec is named "${(parseMcpToolName(tool)?.server ?? tool.slice(5)).slice(0, 100)}")` : ''
      out.push({
        path: `approvals.${effect}.${i}`,
        message: `approval rule "${text.slice(0, 200)}" matches nothing: this loop has no tool "${tool}"${mcp}${near ? `; did you mean ${near}?` : ''} (its tools: ${loopTools.names.join(', ')})`
      })
    })
  }
  return out
}
