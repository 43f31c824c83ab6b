import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp-andon'

describe('the shipped eval suite (eval as CI)', () => {
  it('passes its threshold: the hinted cases converge, the unhinted one stalls', () => {
    const dataDir = tempDir()
    try {
      const r = spawnSync(process.execPath, ['bin/andon.mjs', 'eval', 'resources/evals/example-loops.eval.yaml', '--data-dir', dataDir], { encoding: 'utf8', timeout: 120_000 })
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).toMatch(/convergence rate:\s+75\.0% \(3\/4\)/)
      expect(r.stdout).toMatch(/FAIL\s+no hint.*STALLED/)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
