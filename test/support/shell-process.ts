/** A web shell started as a child process (the compiled shell, or `npm start`), read until it prints its URL. */
import { spawn } from 'node:child_process'

export interface StartedShell {
  url: string
  output: () => string
  /** SIGINT, as Ctrl-C does; resolves with the exit code. */
  stop: () => Promise<number | null>
}

/** Spawns `node ARGS` in `cwd` and resolves once it prints `control room: URL` (fails on an early exit or after 60 s). */
export async function spawnUntilUrl(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; what: string }): Promise<StartedShell> {
  const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)))
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no URL within 60 s:\n${output}`)), 60_000)
    child.stdout.on('data', () => {
      const m = /control room: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output)
      if (m) {
        clearTimeout(timer)
        res(m[1])
      }
    })
    void exit.then((code) => rej(new Error(`${opts.what} exited with ${code} before printing its URL:\n${output}`)))
  })
  return {
    url,
    output: () => output,
    stop: () => {
      child.kill('SIGINT')
      return exit
    }
  }
}
