/**
 * Run a shell command in a workspace, inside the sandbox: streamed output, a timeout, and the
 * whole process group killed on timeout or cancel. Under the sandbox that ends everything the
 * command started, a `setsid` child included (its PID namespace dies with it).
 */
import { spawn } from 'node:child_process'
import { andonCliEnv } from '../platform/andon-cli'
import { prepareLaunch, prepareProgram } from '../sandbox/launch'
import type { ToolContext, ToolResult } from './tool'
import { OutputCapture } from './output'

export interface RunOptions {
  command: string
  timeoutMs: number
  outputCap?: number
  /** Written to the command's stdin, which is then closed (none: stdin is empty). */
  stdin?: string
  /** The command as the operator knows it, for the summary (a command tool's name). */
  label?: string
  /** A shell command line, or a program and its arguments (never read by a shell). */
  program?: { command: string; args: readonly string[] }
  /** More environment for the command (its secrets are always there). */
  env?: Record<string, string>
}

export async function runProcess(opts: RunOptions, ctx: ToolContext): Promise<ToolResult> {
  const launch = opts.program
    ? await prepareProgram(opts.program.command, opts.program.args, ctx.workspace, ctx.sandbox)
    : await prepareLaunch(opts.command, ctx.workspace, ctx.sandbox)
  if ('refused' in launch) return { ok: false, exitCode: null, summary: `${opts.command}: refused: ${launch.refused}`, excerpt: '' }
  if (launch.note) ctx.emit('info', launch.note)
  try {
    return await run(launch.script, opts, ctx)
  } finally {
    launch.release()
  }
}

function run(script: string, opts: RunOptions, ctx: ToolContext): Promise<ToolResult> {
  return new Promise((resolve) => {
    const capture = new OutputCapture(ctx.emit, opts.outputCap)
    const child = spawn('/bin/sh', ['-c', script], {
      cwd: ctx.workspace,
      detached: true,
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: ctx.workspace, LANG: 'C.UTF-8', ...andonCliEnv(), ...opts.env, ...ctx.secrets }
    })
    if (child.stdin) {
      // A command that exits without reading its input is not an error of the call.
      child.stdin.on('error', () => undefined)
      child.stdin.end(opts.stdin)
    }
    if (child.pid !== undefined) ctx.onSpawn?.(child.pid)
    let killedFor: string | null = null
    const kill = (why: string) => {
      if (killedFor || child.exitCode !== null) return
      killedFor = why
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }
    const timer = setTimeout(() => kill(`timed out after ${opts.timeoutMs} ms`), opts.timeoutMs)
    const onAbort = () => kill('cancelled')
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    if (ctx.signal.aborted) onAbort()
    child.stdout!.on('data', (d: Buffer) => capture.push('stdout', d))
    child.stderr!.on('data', (d: Buffer) => capture.push('stderr', d))
    const finish = (exitCode: number | null, error?: string) => {
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
      capture.end()
      const ok = exitCode === 0 && !killedFor && !error
      const why = error ?? killedFor
      resolve({
        ok,
        exitCode,
        summary: `${opts.label ?? opts.command}: ${why ?? `exit ${exitCode}`}`,
        excerpt: capture.excerpt,
        outputBytes: capture.bytes,
        truncated: capture.truncated
      })
    }
    child.on('error', (err) => finish(null, err.message))
    child.on('close', (code) => finish(code))
  })
}
