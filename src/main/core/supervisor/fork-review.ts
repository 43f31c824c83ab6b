/**
 * What a fork would run, and where: shown to the operator before a loop imported from a bundle
 * runs here. A bundle is data from elsewhere; its spec names commands, a workspace folder, secret
 * names and an autonomy that were chosen by whoever wrote it, not by this operator.
 */
import { ForkConfirmation, type ForkReview } from '../../../shared/contract'
import { builtinSelection, isCommandTool, type LoopSpec } from '../../../shared/spec'
import { commandLine } from '../sandbox/launch'
import { policyEndpoint } from '../policies'
import type { TraceStore } from '../store/trace-store'
import type { ToolRegistry } from '../tools/tool'
import { templateDir } from './workspace'

const MAX_LISTED = 50

export function reviewFork(
  spec: LoopSpec,
  specPath: string | null,
  deps: { imported: boolean; tools: ToolRegistry; store: TraceStore; env: Record<string, string | undefined> }
): ForkReview {
  const usable = deps.tools.list().filter((t) => deps.tools.forSpec(t.name, builtinSelection(spec.tools))).map((t) => t.name)
  const commands: ForkReview['commands'] = []
  if (spec.termination.verifyCommand && usable.includes('verify')) commands.push({ from: 'termination.verifyCommand', command: spec.termination.verifyCommand })
  spec.termination.verify?.forEach((s, i) => usable.includes('verify') && commands.push({ from: `termination.verify.${i} (${s.name})`, command: s.command }))
  spec.tools.forEach((t, i) => isCommandTool(t) && commands.push({ from: `tools.${i} (${t.name})`, command: commandLine(t.command, t.args ?? []) }))
  spec.mcp.forEach((m, i) => m.command !== undefined && commands.push({ from: `mcp.${i} (MCP server ${m.name})`, command: commandLine(m.command, m.args) }))
  const p = spec.policy
  if (p.kind === 'rules') {
    p.rules.forEach((r, i) => {
      if (r.then.tool === 'run_command' && typeof r.then.args.command === 'string') commands.push({ from: `policy.rules.${i} (${r.name})`, command: r.then.args.command })
    })
  } else if (p.kind === 'replay' && deps.store.streamVersion(p.sourceLoopId) > 0) {
    for (const e of deps.store.readStream(p.sourceLoopId)) {
      if (e.type === 'ToolStarted' && e.data.tool === 'run_command' && typeof e.data.args.command === 'string') {
        commands.push({ from: `replay of ${p.sourceLoopId}, event ${e.version}`, command: e.data.args.command })
      }
    }
  } else if (p.kind === 'anthropic' && usable.includes('run_command')) {
    commands.push({ from: 'the model', command: '(any command the model chooses, through run_command)' })
  } else if (p.kind === 'claude-code') {
    commands.push({ from: 'Claude Code', command: "(any command Claude Code chooses, through its Bash tool; Bash's effects before the fork point are not replayed into the copy)" })
    if (p.executable) commands.push({ from: 'policy.executable', command: `${p.executable} (not kept for an imported loop: the fork runs this installation's Claude Code)` })
  } else if (p.kind === 'process') {
    // The agent is a program the bundle names: it runs (sandboxed) at the fork's first decision, before any call is approved.
    commands.push({ from: 'policy.command', command: commandLine(p.command, p.args) })
  }
  return {
    imported: deps.imported,
    commands: commands.slice(0, MAX_LISTED),
    workspace: templateDir(spec, specPath),
    secrets: spec.secrets,
    tools: usable,
    autonomy: spec.autonomy,
    policy: p.kind,
    endpoint: policyEndpoint(p, deps.env)
  }
}

/** The spec a confirmed fork of an imported loop runs: only what the operator kept. */
export function confirmedSpec(spec: LoopSpec, given: Partial<ForkConfirmation>): LoopSpec {
  // Parsed here too: whatever the caller passed, an absent choice is the safe default.
  const confirm = ForkConfirmation.parse(given)
  // An executable named by a bundle is never run: the fork uses this installation's Claude Code.
  const policy = spec.policy.kind === 'claude-code' ? { ...spec.policy, executable: undefined } : spec.policy
  return {
    ...spec,
    policy,
    autonomy: confirm.autonomy,
    secrets: confirm.keepSecrets ? spec.secrets : [],
    workspace: confirm.copyWorkspace ? spec.workspace : undefined
  }
}
