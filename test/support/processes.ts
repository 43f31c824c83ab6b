/**
 * Host processes a test started, found in /proc (the sandbox's PID namespace hides none of them
 * from the host): those with an argument that mentions `text`, or whose working folder is `text`.
 * A crash test's host process is never one of them (its command line holds the whole spec).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

export function processesMentioning(text: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (argv.some((a) => a.includes('crash-child'))) continue
      if (argv.some((a) => a.includes(text)) || cwdOf(entry) === text) pids.push(Number(entry))
    } catch {
      // Gone while we looked.
    }
  }
  return pids
}

function cwdOf(pid: string): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`)
  } catch {
    return ''
  }
}
