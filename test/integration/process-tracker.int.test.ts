/**
 * The tracker of tool processes that may outlive Andon: a call that started a process leaves a
 * record until it ends; a call that started none costs no file work; a record another run left
 * stays until that loop's orphans are ended, and then goes.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProcessTracker } from '../../src/main/core/supervisor/processes'
import { tempDirsPerTest } from '../support/temp-per-test'

/** A pid no process has (past the kernel's default pid_max). */
const GONE_PID = 4_194_305

describe('ProcessTracker', () => {
  const dirs = tempDirsPerTest()

  it('keeps a record while a started call runs and removes it when the call finishes', () => {
    const dir = join(dirs('andon-run-'), 'run')
    const tracker = new ProcessTracker(dir)
    tracker.started('loop-1', 'loop-1:1', GONE_PID)
    expect(readdirSync(dir)).toHaveLength(1)
    tracker.finished('loop-1:1')
    expect(readdirSync(dir)).toEqual([])
  })

  it("leaves a previous run's record to endOrphans, which removes it for its loop only", async () => {
    const dir = join(dirs('andon-run-'), 'run')
    const before = new ProcessTracker(dir)
    before.started('loop-1', 'loop-1:4', GONE_PID)
    before.started('loop-2', 'loop-2:9', GONE_PID)
    // A restart: the new tracker never started these calls.
    const after = new ProcessTracker(dir)
    after.finished('loop-1:4')
    expect(readdirSync(dir)).toHaveLength(2)
    expect(await after.endOrphans('loop-1', 0)).toEqual([])
    expect(readdirSync(dir)).toHaveLength(1)
    // The other loop's record stays until its own recovery.
    expect(await after.endOrphans('loop-2', 0)).toEqual([])
    expect(existsSync(dir) && readdirSync(dir)).toEqual([])
  })
})
