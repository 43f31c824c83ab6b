import { resolve } from 'node:path'
import type { Options } from '@anthropic-ai/claude-agent-sdk'
import type { SandboxSpec } from '../../../../shared/spec'

/**
 * Claude Code's Bash runs in its own sandbox (the runtime Andon's commands use), opened exactly as
 * far as the spec opens Andon's: writes in the workspace and `allowWrite`, the network only to
 * `allowDomains`, never a command outside it (unless the spec allows running unsandboxed).
 */
export function sessionSandbox(sandbox: SandboxSpec, workspace: string): NonNullable<Options['sandbox']> {
  return {
    enabled: true,
    failIfUnavailable: !sandbox.allowUnsandboxed,
    allowUnsandboxedCommands: false,
    network: { allowedDomains: sandbox.allowDomains, strictAllowlist: true },
    filesystem: { allowWrite: sandbox.allowWrite.map((p) => resolve(workspace, p)) }
  }
}

/**
 * The environment Claude Code runs with. The SDK replaces the child's environment entirely, so
 * Andon passes what Claude Code needs (its credentials, endpoint, config folder, a shell's basics)
 * and the secrets the spec names, never the rest of the host's environment.
 */
const PASSED = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'TERM',
  'TMPDIR',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_MODEL',
  'CLAUDE_CONFIG_DIR',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY'
]
/** Claude Code's own switches (CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC, CLAUDE_CODE_USE_BEDROCK…). */
const PASSED_PREFIX = 'CLAUDE_CODE_'

export function sessionEnv(env: Record<string, string | undefined>, secrets: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue
    if (PASSED.includes(k) || k.startsWith(PASSED_PREFIX) || secrets.includes(k)) out[k] = v
  }
  out.CLAUDE_AGENT_SDK_CLIENT_APP = 'andon'
  return out
}
