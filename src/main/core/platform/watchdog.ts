/**
 * The long-lived processes Andon starts (Claude Code, an agent process, an MCP server) must not
 * outlive it: left alone after its host is killed, Claude Code takes the broken gate for an
 * interruption and calls the model again and again, and a server that ignores its input ending
 * runs forever. Each runs under a small shell that holds a pipe from Andon on fd 3: when Andon
 * dies, for any reason, the pipe reads end-of-file and the shell ends its whole process group
 * (the process and everything it started, sandbox helpers included). Spawn it detached.
 */
const WATCH = [
  // A background job's stdin is /dev/null unless given another: hand it the SDK's pipe (fd 4).
  'exec 4<&0',
  '"$@" <&4 4<&- 3<&- & child=$!',
  'exec 4<&-',
  '( read -r _ <&3; kill -9 -$$ ) & watcher=$!',
  'wait "$child"; status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"'
].join('\n')

/** The command to spawn instead, and whether it needs Andon's end of the pipe on fd 3. */
export function tiedToThisProcess(command: string, args: string[]): { command: string; args: string[]; lifeline: boolean } {
  if (process.platform === 'win32') return { command, args, lifeline: false }
  return { command: '/bin/sh', args: ['-c', WATCH, 'andon-watchdog', command, ...args], lifeline: true }
}
