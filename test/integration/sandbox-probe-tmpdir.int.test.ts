/**
 * The sandbox probe needs a temporary folder; where there is none it can write (TMPDIR missing or
 * read-only, as inside another sandbox), it reports the sandbox unavailable and why, never throws.
 */
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { probeSandbox } from '../../src/main/core/sandbox/status'
import { findOnPath } from '../../src/main/core/platform/executables'

const saved = process.env.TMPDIR
afterAll(() => {
  if (saved === undefined) delete process.env.TMPDIR
  else process.env.TMPDIR = saved
})

describe.runIf(process.platform === 'linux' && findOnPath('bwrap') !== null && !process.env.ANDON_BWRAP)('the sandbox probe without a temp folder', () => {
  it('says the sandbox is unavailable and names the folder', async () => {
    process.env.TMPDIR = join('/nonexistent', 'andon-no-tmp')
    const status = await probeSandbox()
    expect(status.available).toBe(false)
    expect(status.reason).toMatch(/no temporary folder for the sandbox probe at \/nonexistent\/andon-no-tmp .*ENOENT/)
  })
})
