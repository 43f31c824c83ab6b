/**
 * What a fork would run, and where: shown to the operator before a loop imported from a bundle
 * runs here. A bundle is data from elsewhere; its spec names commands, a workspace folder, secret
 * names and an autonomy that were chosen by whoever wrote it, not by this operator.
 */
import { ForkConfirmation, type ForkReview } from '../../../shared/contract'
import { builtinSelection, isCommandTool, type LoopSpec } from '../../../shared/spec'
import { commandLine, shellQuote } from '../sandbox/launch'
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
  // What starts at the fork's first run, before any call is approved, comes first: it is never cut off the list.
  const commands: ForkReview['commands'] = [...startsUnasked(spec)]
  if (spec.termination.verifyCommand && usable.includes('verify')) commands.push({ from: 'termination.verifyCommand', command: spec.termination.verifyCommand })
  spec.termination.verify?.forEach((s, i) => usable.includes('verify') && commands.push({ from: `termination.verify.${i} (${s.name})`, command: s.command }))
  spec.tools.forEach((t, i) => isCommandTool(t) && commands.push({ from: `tools.${i} (${t.name})`, command: commandLine(t.command, t.args ?? []) }))
  const p = spec.policy
  if (p.kind === 'rules') {
    p.rules.forEach((r, i) => {
      if (r.then.tool === 'run_command' && typeof r.then.args.command === 'string') commands.push({ from: `policy.rules.${i} (${r.name})`, command: r.then.args.command })
    })
  } else if (p.kind === 'replay' && deps.store.streamVersion(p.sourceLoopId) > 0) {
    for (const e of deps.store.iterateStream(p.sourceLoopId)) {
      if (e.type === 'ToolStarted' && e.data.tool === 'run_command' && typeof e.data.args.command === 'string') {
        commands.push({ from: `replay of ${p.sourceLoopId}, event ${e.version}`, command: e.data.args.command })
      }
    }
  } else if (p.kind === 'anthropic' && usable.includes('run_command')) {
    commands.push({ from: 'the model', command: '(any command the model chooses, through run_command)' })
  } else if (p.kind === 'claude-code') {
    commands.push({ from: 'Claude Code', command: "(any command Claude Code chooses, through its Bash tool; Bash's effects before the fork point are not replayed into the copy)" })
    if (p.executable) commands.push({ from: 'policy.executable', command: `${p.executable} (not kept for an imported loop: the fork runs this installation's Claude Code)` })
  }
  const hidden = commands.length - MAX_LISTED
  return {
    imported: deps.imported,
    commands: hidden > 0 ? [...commands.slice(0, MAX_LISTED - 1), { from: '…', command: `${hidden + 1} more not listed here: read the bundle's spec` }] : commands,
    workspace: templateDir(spec, specPath),
    secrets: spec.secrets,
    tools: usable,
    autonomy: spec.autonomy,
    allowRules: spec.approvals?.allow ?? [],
    policy: p.kind,
    endpoint: policyEndpoint(p, deps.env)
  }
}

/** `NAME=value` for each variable a spec sets for a program: they change what its command line runs. */
function withEnv(env: Record<string, string>, line: string): string {
  return [...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`), line].join(' ')
}

/**
 * Programs that start without any call being approved, and where they reach: the agent of a
 * process policy, the MCP servers (stdio ones run; HTTP ones are contacted with their headers),
 * and sandbox settings that widen what every command may do.
 */
function startsUnasked(spec: LoopSpec): ForkReview['commands'] {
  const out: ForkReview['commands'] = []
  const p = spec.policy
  if (p.kind === 'process') out.push({ from: 'policy.command (the agent: starts at the first decision)', command: withEnv(p.env, commandLine(p.command, p.args)) })
  spec.mcp.forEach((m, i) => {
    const from = `mcp.${i} (MCP server ${m.name}: starts with the loop)`
    if (m.command !== undefined) out.push({ from, command: withEnv(m.env, commandLine(m.command, m.args)) })
    else out.push({ from, command: `connects to ${m.url}${Object.keys(m.headers).length ? ` sending headers ${Object.keys(m.headers).join(', ')}` : ''}` })
  })
  const sb = spec.sandbox
  const wider = [
    sb.allowUnsandboxed ? 'allowUnsandboxed: true (runs commands without a sandbox where none can start)' : null,
    sb.allowWrite.length ? `allowWrite: ${sb.allowWrite.join(', ')}` : null,
    sb.allowDomains.length ? `allowDomains: ${sb.allowDomains.join(', ')}` : null
  ].filter(Boolean)
  if (wider.length) out.push({ from: 'sandbox', command: wider.join('; ') })
  return out
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
    // An allow rule runs a call whatever the autonomy: the bundle's are dropped unless kept knowingly.
    approvals: spec.approvals && !confirm.keepAllowRules ? { ...spec.approvals, allow: [] } : spec.approvals,
    secrets: confirm.keepSecrets ? spec.secrets : [],
    workspace: confirm.copyWorkspace ? spec.workspace : undefined
  }
}
