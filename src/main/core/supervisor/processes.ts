/**
 * Tool processes that may outlive Andon. A tool's command runs in its own process group; while it
 * runs, a small file in the data dir names the group. If Andon is killed, the group keeps running
 * and could finish its side effect after the restart: on start, groups still alive are ended, so
 * the operator's "did it happen?" is answered against a world that no longer changes.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

interface ProcessRecord {
  loopId: string
  callId: string
  pid: number
  /** The leader's start time (Linux /proc), so a reused pid is never mistaken for the tool. */
  startTime: string | null
}

export interface EndedProcess {
  callId: string
  pid: number
}

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class ProcessTracker {
  /**
   * Calls this tracker wrote a file for. Most calls start no process (the file tools, GitHub):
   * their end now costs nothing, where unlinking a missing file was ~5% of the main thread's CPU
   * with 50 loops. A file a previous run left is removed by endOrphans before its loop is driven again.
   */
  private readonly written = new Set<string>()

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true })
  }

  private file(callId: string): string {
    return join(this.dir, `${createHash('sha1').update(callId).digest('hex')}.json`)
  }

  started(loopId: string, callId: string, pid: number): void {
    const rec: ProcessRecord = { loopId, callId, pid, startTime: startTimeOf(pid) }
    writeFileSync(this.file(callId), JSON.stringify(rec))
    this.written.add(callId)
  }

  finished(callId: string): void {
    if (this.written.delete(callId)) this.remove(callId)
  }

  private remove(callId: string): void {
    rmSync(this.file(callId), { force: true })
  }

  private records(): ProcessRecord[] {
    const out: ProcessRecord[] = []
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue
      try {
        out.push(JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as ProcessRecord)
      } catch {
        rmSync(join(this.dir, name), { force: true })
      }
    }
    return out
  }

  /** End the process groups a previous run left behind for this loop (TERM, then KILL after `graceMs`). */
  async endOrphans(loopId: string, graceMs = 1000): Promise<EndedProcess[]> {
    const ended: EndedProcess[] = []
    for (const rec of this.records().filter((r) => r.loopId === loopId)) {
      const leader = startTimeOf(rec.pid)
      const same = rec.startTime === null || leader === null || leader === rec.startTime
      if (same && groupAlive(rec.pid)) {
        try {
          process.kill(-rec.pid, 'SIGTERM')
        } catch {
          // Gone between the check and the signal.
        }
        for (let waited = 0; waited < graceMs && groupAlive(rec.pid); waited += 50) await sleep(50)
        if (groupAlive(rec.pid)) {
          try {
            process.kill(-rec.pid, 'SIGKILL')
          } catch {
            // Gone.
          }
        }
        ended.push({ callId: rec.callId, pid: rec.pid })
      }
      this.written.delete(rec.callId)
      this.remove(rec.callId)
    }
    return ended
  }
}
