import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Andon, AndonOptions } from '../../src/main/core/andon'
import { createAndon } from '../../src/main/core/create-andon'

export function tempDir(prefix = 'andon-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** A fresh core on a temp data dir; `cleanup` closes it and deletes the dir. */
export async function tempAndon(opts: Partial<AndonOptions> = {}): Promise<Andon & { dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = opts.dataDir ?? tempDir()
  const andon = await createAndon({ env: {}, ...opts, dataDir })
  return {
    ...andon,
    dataDir,
    async cleanup() {
      await andon.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** Wait until `check` returns a truthy value (polling a condition a loop reaches on its own). */
export async function until<T>(check: () => T | Promise<T>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
