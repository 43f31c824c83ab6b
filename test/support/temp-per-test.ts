/**
 * Temp folders and stores that are removed after each test, for vitest files only (these register
 * an afterEach hook; the support modules they build on stay usable from Playwright and the bench).
 * Call one once at the top of a test file, then call what it returns for each folder or store.
 */
import { rmSync } from 'node:fs'
import { afterEach } from 'vitest'
import { tempStore, type TempStore } from '../fixtures/bundles/sample-loop'
import { tempDir } from './temp-andon'

export function tempDirsPerTest(defaultPrefix = 'andon-test-'): (prefix?: string) => string {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  return (prefix = defaultPrefix) => {
    const d = tempDir(prefix)
    dirs.push(d)
    return d
  }
}

export function tempStoresPerTest(): () => TempStore {
  const stores: TempStore[] = []
  afterEach(() => {
    while (stores.length) stores.pop()!.cleanup()
  })
  return () => {
    const s = tempStore()
    stores.push(s)
    return s
  }
}
