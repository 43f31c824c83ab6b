/**
 * The sandbox every command Andon starts runs in: @anthropic-ai/sandbox-runtime over bubblewrap
 * (Linux) or sandbox-exec (macOS). Writes only in the workspace and the paths the spec opens; no
 * network unless the spec names domains, and then only those, through the runtime's proxy. On
 * Linux the command gets its own PID namespace and /proc, so the control room's processes (and
 * their environment) are out of sight, and ending the sandbox ends everything it started.
 */
import { randomBytes } from 'node:crypto'
import { isAbsolute, resolve } from 'node:path'
import type { SandboxManager as Manager, SandboxRuntimeConfig } from '@anthropic-ai/sandbox-runtime'
import type { SandboxSpec } from '../../../shared/spec'

/** A command ready to hand to `/bin/sh -c`; `release` once it has ended. */
export interface SandboxedCommand {
  script: string
  release(): void
}

/** The bubblewrap binary: `ANDON_BWRAP` where it is not the one on PATH. */
export function bwrapSetting(): string | undefined {
  return process.env.ANDON_BWRAP || undefined
}

function sessionConfig(): SandboxRuntimeConfig {
  const bwrapPath = bwrapSetting()
  return {
    network: { allowedDomains: [], deniedDomains: [] },
    filesystem: { denyRead: [], allowWrite: [], denyWrite: [] },
    ...(bwrapPath ? { bwrapPath } : {}),
    // The runtime scans its host's working directory for files to protect, as if commands ran
    // there. Andon's run in their own workspace, and from "/" that scan takes seconds per command.
    ripgrep: { command: 'true' }
  }
}

let configuredBwrap: string | undefined | null = null
let network: Promise<void> | null = null
/** The runtime is loaded when the first command runs, not at start: it is among the slowest packages to load. */
let runtime: Promise<typeof Manager> | undefined

async function manager(): Promise<typeof Manager> {
  runtime ??= import('@anthropic-ai/sandbox-runtime').then((m) => m.SandboxManager)
  const SandboxManager = await runtime
  // The session settings, without starting the proxies: most loops never need them.
  if (configuredBwrap !== bwrapSetting()) {
    SandboxManager.updateConfig(sessionConfig())
    configuredBwrap = bwrapSetting()
  }
  return SandboxManager
}

/** The filtering proxy, started the first time a spec allows a domain. */
function networkReady(): Promise<void> {
  network ??= manager()
    .then((m) => m.initialize(sessionConfig()))
    .catch((err: unknown) => {
      network = null
      throw new Error(`the network proxy for sandbox.allowDomains could not start: ${(err as Error).message}`)
    })
  return network
}

/** Stop the proxy, if a spec ever started it (it keeps listening until then). */
export async function stopSandboxNetwork(): Promise<void> {
  if (!network) return
  network = null
  const SandboxManager = await manager()
  await SandboxManager.reset()
  SandboxManager.updateConfig(sessionConfig())
}

export function writablePaths(workspace: string, spec: SandboxSpec): string[] {
  return [workspace, ...spec.allowWrite.map((p) => (isAbsolute(p) ? p : resolve(workspace, p)))]
}

export async function sandboxCommand(command: string, workspace: string, spec: SandboxSpec): Promise<SandboxedCommand> {
  const m = await manager()
  const domains = spec.allowDomains.length > 0
  if (domains) await networkReady()
  // Unguessable: the proxy lets a connection use the domains of the command whose id it presents.
  const commandId = randomBytes(16).toString('base64url')
  const script = await m.wrapWithSandbox(
    command,
    '/bin/sh',
    {
      filesystem: { denyRead: [], allowWrite: writablePaths(workspace, spec), denyWrite: [] },
      network: { allowedDomains: [], deniedDomains: [] }
    },
    undefined,
    { commandId }
  )
  const release = () => {
    if (domains) m.unregisterCommandNetworkLists(commandId)
    m.cleanupAfterCommand()
  }
  try {
    if (domains) m.registerCommandNetworkLists(commandId, { allowedDomains: spec.allowDomains })
  } catch (err) {
    release()
    throw new Error(`sandbox.allowDomains: ${(err as Error).message}`)
  }
  return { script, release }
}
