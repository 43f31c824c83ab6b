/**
 * Whether commands can run in a sandbox here, found once by starting one (bubblewrap can be
 * installed and still unable to start, e.g. in a container without user namespaces), and why a
 * loop or a command is refused when they cannot.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SandboxSpec, builtinSelection, type LoopSpec } from '../../../shared/spec'
import { findOnPath, isExecutableFile } from '../platform/executables'
import { bwrapSetting, sandboxCommand } from './runtime'

export interface SandboxStatus {
  available: boolean
  reason: string | null
}

/** The tools that start commands: a spec that can use one needs a sandbox, or must opt out. */
export const COMMAND_TOOLS: readonly string[] = ['run_command', 'verify']

const PROBE_TIMEOUT_MS = 15_000

/** The section with its defaults filled in (a tool context may carry none). */
export function sandboxSettings(sandbox: Partial<SandboxSpec> | undefined): SandboxSpec {
  return SandboxSpec.parse(sandbox ?? {})
}

const unavailable = (reason: string): SandboxStatus => ({ available: false, reason })

function runProbe(script: string, cwd: string): Promise<{ ok: boolean; said: string }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, LANG: 'C.UTF-8' }
    execFile('/bin/sh', ['-c', script], { cwd, env, timeout: PROBE_TIMEOUT_MS }, (err, stdout, stderr) => {
      const silent = !err ? 'it printed nothing' : err.killed ? `no answer in ${PROBE_TIMEOUT_MS} ms` : `exit ${err.code ?? err.signal}`
      resolve({ ok: !err && stdout.includes('sandbox-ok'), said: (stderr.trim() || silent).slice(0, 500) })
    })
  })
}

/** Start one trivial command in a sandbox, as every command would be started. */
export async function probeSandbox(): Promise<SandboxStatus> {
  if (process.platform !== 'linux' && process.platform !== 'darwin') {
    return unavailable(`there is no sandbox for ${process.platform} (Linux with bubblewrap, or macOS)`)
  }
  if (process.platform === 'linux') {
    const setting = bwrapSetting()
    if (setting && !isExecutableFile(setting)) return unavailable(`bubblewrap is not at ANDON_BWRAP=${setting}`)
    if (!setting && !findOnPath('bwrap')) return unavailable('bubblewrap (bwrap) is not installed')
  }
  let dir: string
  try {
    dir = await mkdtemp(join(tmpdir(), 'andon-sandbox-probe-'))
  } catch (err) {
    // A read-only or missing temp folder (as inside another sandbox) means no probe, not a crash.
    return unavailable(`no temporary folder for the sandbox probe at ${tmpdir()} (set TMPDIR to a writable folder): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  try {
    const command = await sandboxCommand('echo sandbox-ok', dir, sandboxSettings(undefined))
    try {
      const { ok, said } = await runProbe(command.script, dir)
      return ok ? { available: true, reason: null } : unavailable(`a sandbox could not start here: ${said}`)
    } finally {
      command.release()
    }
  } catch (err) {
    return unavailable(`a sandbox could not start here: ${(err as Error).message}`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

let status: Promise<SandboxStatus> | null = null

/** The probe's answer, found on first use and kept for the life of the process. */
export function sandboxStatus(): Promise<SandboxStatus> {
  status ??= probeSandbox()
  return status
}

/** Why commands of this sandbox section cannot be sandboxed here, or null when they can. */
export async function whyNoSandbox(sandbox: SandboxSpec, known?: SandboxStatus): Promise<string | null> {
  const s = known ?? (await sandboxStatus())
  if (!s.available) return s.reason
  // The proxy that lets only the named domains through is bridged into the sandbox by socat.
  if (sandbox.allowDomains.length > 0 && process.platform === 'linux' && !findOnPath('socat')) {
    return 'sandbox.allowDomains needs socat, which is not installed'
  }
  return null
}

export function refusal(why: string): string {
  return `commands cannot run in a sandbox here: ${why}. Andon runs none without one unless the spec says sandbox.allowUnsandboxed: true`
}

/** Whether a loop with this spec can start commands: built-in ones (a spec picking none can use them all), its command tools, stdio MCP servers, an agent process. */
export function usesCommands(spec: LoopSpec): boolean {
  const builtins = builtinSelection(spec.tools)
  return (
    builtins.length === 0 ||
    builtins.some((t) => COMMAND_TOOLS.includes(t.name)) ||
    builtins.length < spec.tools.length ||
    spec.mcp.some((m) => m.command !== undefined) ||
    spec.policy.kind === 'process'
  )
}

/** Why a loop with this spec may not launch here, or null: it would run commands no sandbox can hold, and did not opt out. */
export async function sandboxProblem(spec: LoopSpec, known?: SandboxStatus): Promise<string | null> {
  const sandbox = sandboxSettings(spec.sandbox)
  if (sandbox.allowUnsandboxed || !usesCommands(spec)) return null
  const why = await whyNoSandbox(sandbox, known)
  return why && refusal(why)
}
