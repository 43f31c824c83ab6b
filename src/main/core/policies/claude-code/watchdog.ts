/**
 * Claude Code must not outlive Andon: left alone after its host is killed, it takes the broken
 * gate for an interruption and calls the model again and again. On Linux the kernel ends it with
 * its parent (setpriv's parent-death signal); elsewhere a shell watches the parent once a second.
 */
import { existsSync } from 'node:fs'

const SETPRIV = '/usr/bin/setpriv'

/** Kill `$child` when the process `$1` is gone; exits with the child's status otherwise. */
const WATCH = 'parent=$1; shift; "$@" <&0 & child=$!; ' +
  'while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done; ' +
  'kill -9 "$child" 2>/dev/null; wait "$child"'

export function tiedToThisProcess(command: string, args: string[]): { command: string; args: string[] } {
  if (process.platform === 'linux' && existsSync(SETPRIV)) return { command: SETPRIV, args: ['--pdeathsig', 'KILL', '--', command, ...args] }
  if (process.platform === 'win32') return { command, args }
  return { command: '/bin/sh', args: ['-c', WATCH, 'andon-watchdog', String(process.pid), command, ...args] }
}
