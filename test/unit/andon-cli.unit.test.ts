import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

const load = async () => (await import('../../src/main/core/platform/andon-cli')).andonCliEnv

afterEach(() => {
  vi.unstubAllEnvs()
  vi.resetModules()
})

describe('ANDON_CLI for commands', () => {
  it("names this source tree's CLI when Andon's environment does not", async () => {
    vi.stubEnv('ANDON_CLI', '')
    const env = (await load())()
    expect(env.ANDON_CLI).toBe(resolve(__dirname, '../../bin/andon.mjs'))
    expect(existsSync(env.ANDON_CLI)).toBe(true)
  })

  it("takes Andon's own ANDON_CLI first, as an absolute path", async () => {
    vi.stubEnv('ANDON_CLI', 'elsewhere/andon.mjs')
    expect((await load())()).toEqual({ ANDON_CLI: resolve('elsewhere/andon.mjs') })
  })
})
