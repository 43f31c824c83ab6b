/**
 * How one command starts: in the sandbox; without one only where none can start and the spec
 * opted out (and the command's output says so); otherwise not at all.
 */
import type { SandboxSpec } from '../../../shared/spec'
import { sandboxCommand } from './runtime'
import { refusal, sandboxSettings, whyNoSandbox } from './status'

export type Launch = { script: string; note: string | null; release(): void } | { refused: string }

export async function prepareLaunch(command: string, workspace: string, settings: SandboxSpec | undefined): Promise<Launch> {
  const sandbox = sandboxSettings(settings)
  const why = await whyNoSandbox(sandbox)
  if (why) {
    if (!sandbox.allowUnsandboxed) return { refused: refusal(why) }
    return { script: command, note: `[no sandbox: ${why}; running it unsandboxed, as the spec allows]\n`, release: () => undefined }
  }
  try {
    return { ...(await sandboxCommand(command, workspace, sandbox)), note: null }
  } catch (err) {
    // A sandbox that exists but cannot hold this command (a bad allowDomains entry, say): never a reason to run it without one.
    return { refused: `the sandbox could not be set up for this command: ${(err as Error).message}` }
  }
}
