/**
 * Running this project's own tools and shells from the scripts in the foreground: output on the
 * terminal, and Ctrl-C, kill and a closed terminal passed on to the child instead of ending the
 * script first, so the script sees how the child ended and whatever runs after it still runs.
 */
import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { join } from 'node:path'
import { projectRoot } from './electron-native.mjs'

/** A command installed in node_modules/.bin. */
export const bin = (name) => join(projectRoot, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP']

/** Resolves with { code, signal } when the child ends; rejects when it could not start. */
export function runInForeground(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options })
    const forward = (signal) => child.kill(signal)
    for (const signal of FORWARDED) process.on(signal, forward)
    const done = () => {
      for (const signal of FORWARDED) process.off(signal, forward)
    }
    child.on('error', (error) => {
      done()
      reject(error)
    })
    child.on('exit', (code, signal) => {
      done()
      resolve({ code, signal })
    })
  })
}

/** Runs to the end; resolves to the exit code, 128 + the signal's number when a signal ended it. */
export async function runToEnd(command, args, options = {}) {
  const { code, signal } = await runInForeground(command, args, options)
  return code ?? 128 + (constants.signals[signal] ?? 0)
}
