// The preload as electron-vite actually bundles it with the project's config: a sandboxed
// preload may only require('electron'), so zod and the contract must be inlined.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const out = mkdtempSync(join(tmpdir(), 'andon-preload-'))
// The build config must sit inside the project to resolve electron-vite; .cache is git-ignored.
const scratch = join(root, '.cache', `preload-bundle-${process.pid}`)
afterAll(() => {
  rmSync(out, { recursive: true, force: true })
  rmSync(scratch, { recursive: true, force: true })
})

describe('built preload', () => {
  it('requires nothing but electron and carries every contract command', () => {
    mkdirSync(scratch, { recursive: true })
    writeFileSync(join(scratch, 'stub.ts'), 'export {}\n')
    writeFileSync(
      join(scratch, 'electron.vite.config.ts'),
      `import base from '../../electron.vite.config'
const preload = (base as { preload: { build: Record<string, unknown> } }).preload
export default {
  main: { build: { outDir: ${JSON.stringify(join(out, 'main'))}, rollupOptions: { input: { index: ${JSON.stringify(join(scratch, 'stub.ts'))} } } } },
  preload: { ...preload, build: { ...preload.build, outDir: ${JSON.stringify(join(out, 'preload'))} } }
}
`
    )
    const build = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build', '-c', join(scratch, 'electron.vite.config.ts')], {
      cwd: root,
      encoding: 'utf8'
    })
    expect(build.status, build.stderr).toBe(0)
    const code = readFileSync(join(out, 'preload', 'index.js'), 'utf8')
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
    expect(new Set(required)).toEqual(new Set(['electron']))
    expect(code).toContain('exposeInMainWorld')
    for (const name of ['listSpecs', 'launchLoop', 'decideApproval', 'forkLoop']) expect(code).toContain(name)
  }, 120_000)
})
