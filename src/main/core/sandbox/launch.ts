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

/**
 * One argument as POSIX shell text that means exactly it: single-quoted, each `'` closed,
 * escaped and reopened. Inside single quotes a shell expands nothing (`$()`, backquotes, `\`,
 * newlines are text), so an argument can never become a second command.
 */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('an argument cannot contain a NUL byte')
  return `'${arg.replaceAll("'", `'\\''`)}'`
}

/** A program and its arguments as one command line for the sandbox's shell, with nothing left for it to interpret. */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(' ')
}

/** Start a program with these exact arguments, in the sandbox (see prepareLaunch). */
export function prepareProgram(command: string, args: readonly string[], workspace: string, settings: SandboxSpec | undefined): Promise<Launch> {
  return prepareLaunch(`exec ${commandLine(command, args)}`, workspace, settings)
}
