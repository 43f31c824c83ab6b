/**
 * Exactly one process drives a loop. Real processes on one data dir: the `andon` CLI (a child
 * process) and a long-running core (as the web or desktop shell runs it). The one that holds a
 * loop's lease drives it; the other leaves it alone and refuses commands on it; a loop whose
 * process died is taken over (by the running shell, by `andon recover` + `andon resume`).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { stringify } from 'yaml'
import { afterEach, describe, expect, it } from 'vitest'
import { TraceStore } from '../../src/main/core/store/trace-store'
import type { StoredEvent } from '../../src/shared/events'
import { andon as cli, root } from '../fixtures/bundles/cli'
import { tempAndon, tempDir, until } from '../support/temp-andon'

const dirs: string[] = []
const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A slow loop (think time per decision) that converges after a few iterations. */
function slowSpec(dir: string, delayMs = 300): string {
  const path = join(dir, 'slow.yaml')
  writeFileSync(
    path,
    stringify({
      name: 'slow-steps',
      task: 'count to three',
      policy: {
        kind: 'rules',
        delayMs,
        rules: [
          { name: 'check', when: { lastTool: 'run_command', outputMatches: '^\\s*4$' }, then: { tool: 'verify' } },
          { name: 'count', when: {}, then: { tool: 'run_command', args: { command: 'echo x >> n.txt; wc -l < n.txt' } } }
        ]
      },
      invariants: { maxIterations: 8, sameActionLimit: 10, progressEvery: 10 },
      termination: { verifyCommand: 'test "$(wc -l < n.txt)" -ge 4' }
    })
  )
  return path
}

/** A spec whose first call runs long enough to kill its host in the middle. */
function longCallSpec(dir: string): string {
  const path = join(dir, 'long.yaml')
  writeFileSync(
    path,
    stringify({
      name: 'long-call',
      task: 'wait, then check',
      policy: {
        kind: 'rules',
        rules: [
          { name: 'wait', when: { start: true }, then: { tool: 'verify' } },
          { name: 'done', when: {}, then: { tool: 'verify' } }
        ]
      },
      termination: { verifyCommand: 'sleep 4; true' }
    })
  )
  return path
}

/** `andon run` as a child process; resolves once it printed that the loop started. */
function startCliRun(specPath: string, dataDir: string): Promise<{ child: ChildProcess; loopId: string; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/andon.mjs'), 'run', specPath, '--data-dir', dataDir], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    children.push(child)
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    const timer = setTimeout(() => reject(new Error('andon run did not start a loop')), 20_000)
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const m = /^loop (\S+) started/.exec(line)
      if (m) {
        clearTimeout(timer)
        resolve({ child, loopId: m[1], exited })
      }
    })
  })
}

const ofType = (events: StoredEvent[], type: StoredEvent['type']) => events.filter((e) => e.type === type)

describe('one process drives a loop (leases)', { timeout: 60_000 }, () => {
  it('a shell starting while `andon run` drives a loop neither recovers nor drives it, and refuses commands on it', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const dataDir = join(dir, 'data')
    const run = await startCliRun(slowSpec(dir), dataDir)
    const shell = await tempAndon({ dataDir, hostLabel: 'web shell' })
    try {
      await until(() => shell.store.streamVersion(run.loopId) > 4, 10_000, 'the CLI to make progress')
      await expect(shell.handlers.pauseLoop({ loopId: run.loopId, reason: 'mine now' })).rejects.toThrow(/is driven by andon run \(pid \d+ on /)
      expect(await run.exited).toBe(0)
      const events = shell.store.readStream(run.loopId)
      expect(ofType(events, 'Interrupted')).toHaveLength(0)
      expect(ofType(events, 'Paused')).toHaveLength(0)
      expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1))
      const iterations = ofType(events, 'IterationStarted').map((e) => (e as { data: { iteration: number } }).data.iteration)
      expect(iterations).toEqual([...new Set(iterations)])
      expect(shell.supervisor.liveState(run.loopId).termination?.reason).toBe('SUCCESS')
    } finally {
      await shell.cleanup()
    }
  })

  it('a shell that is already running takes over a loop whose `andon run` was killed, and finishes it', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const dataDir = join(dir, 'data')
    const shell = await tempAndon({ dataDir, hostLabel: 'web shell' })
    try {
      const run = await startCliRun(longCallSpec(dir), dataDir)
      await until(() => shell.store.readStream(run.loopId).some((e) => e.type === 'ToolStarted'), 10_000, 'the call to start')
      run.child.kill('SIGKILL')
      await run.exited
      // The holder's pid is gone: the next heartbeat (every 2 s) adopts the loop.
      await until(() => shell.supervisor.liveState(run.loopId).termination, 15_000, 'the shell to finish the loop')
      const events = shell.store.readStream(run.loopId)
      expect(ofType(events, 'Interrupted')).toMatchObject([{ data: { detail: 'the process driving this loop stopped (its lease expired)' } }])
      expect(shell.supervisor.liveState(run.loopId).termination?.reason).toBe('SUCCESS')
    } finally {
      await shell.cleanup()
    }
  })

  it('`andon recover` marks a loop whose process died as interrupted; `andon resume` drives it to the end', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const dataDir = join(dir, 'data')
    const run = await startCliRun(longCallSpec(dir), dataDir)
    // Killed while its 4 s call runs: watched in the store, since each `andon ls` is a process start
    // that, on a loaded machine, can take longer than the call.
    const watch = new TraceStore({ path: join(dataDir, 'andon.db') })
    try {
      await until(() => watch.readStream(run.loopId).some((e) => e.type === 'ToolStarted'), 15_000, 'the call to start')
    } finally {
      watch.close()
    }
    run.child.kill('SIGKILL')
    await run.exited
    const before = JSON.parse((await cli(['ls', '--data-dir', dataDir, '--json'])).stdout) as { loopId: string; status: string }[]
    expect(before).toMatchObject([{ loopId: run.loopId, status: 'running' }])

    const recovered = await cli(['recover', '--data-dir', dataDir, '--json'])
    expect(recovered.code).toBe(0)
    expect(JSON.parse(recovered.stdout)).toEqual({ interrupted: [run.loopId] })
    const after = JSON.parse((await cli(['ls', '--data-dir', dataDir, '--json'])).stdout) as { status: string }[]
    expect(after).toMatchObject([{ status: 'interrupted' }])

    const resumed = await cli(['resume', run.loopId, '--data-dir', dataDir])
    expect(resumed.stderr).toMatch(/SUCCESS/)
    expect(resumed.code).toBe(0)
    const final = JSON.parse((await cli(['ls', '--data-dir', dataDir, '--json'])).stdout) as { status: string; terminationReason: string }[]
    expect(final).toMatchObject([{ status: 'terminated', terminationReason: 'SUCCESS' }])
  })
})
