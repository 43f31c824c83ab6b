/**
 * A real store in a temp folder whose clock the test sets, so events land at known times (for
 * figures per UTC day). Closed and removed after each test.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { LoopEventInput } from '../../src/shared/events'
import { TraceStore } from '../../src/main/core/store/trace-store'
import { tempDir } from './temp-andon'

export function clockedStores(start: number): {
  open(): TraceStore
  /** Appends events at `at` (the store stamps them with its clock). */
  record(s: TraceStore, loopId: string, at: number, ...events: LoopEventInput[]): void
} {
  let clock = start
  let dir = ''
  let store: TraceStore | null = null
  afterEach(() => {
    store?.close()
    store = null
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  return {
    open() {
      dir = tempDir()
      store = new TraceStore({ path: join(dir, 'andon.db'), clock: () => clock })
      return store
    },
    record(s, loopId, at, ...events) {
      clock = at
      s.appendSync(loopId, events, 'any')
    }
  }
}
