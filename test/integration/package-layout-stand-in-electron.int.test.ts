// The packaged layout, from a real `electron-builder --dir` of this project with electron-builder.yml,
// built around a stand-in Electron (a folder holding an `electron` file; the real binary cannot be
// fetched here), handed to electron-builder as electronDist for this test only (npm run dist lets
// electron-builder fetch Electron itself). Fuses (which need the real binary) and npmRebuild (which
// would rebuild this checkout's better-sqlite3 for Electron) are switched off for this run only.
import { listPackage } from '@electron/asar'
import { Arch, build, Platform } from 'electron-builder'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const built = ['main/index.js', 'preload/index.js', 'renderer/index.html'].every((p) => existsSync(join(root, 'out', p)))
const work = mkdtempSync(join(tmpdir(), 'andon-layout-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe.skipIf(!built || process.platform !== 'linux')('the packaged app (electron-builder --dir, stand-in Electron)', () => {
  it('ships the built app in the archive, better-sqlite3 unpacked, examples and the icon beside it, and no Claude Code binary', async () => {
    const standInElectron = join(work, 'electron')
    mkdirSync(standInElectron)
    writeFileSync(join(standInElectron, 'electron'), '#!/bin/sh\n', { mode: 0o755 })
    // electron-builder reads electron-builder.yml itself and lays these overrides over it.
    await build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      config: { electronDist: standInElectron, npmRebuild: false, electronFuses: null, directories: { output: join(work, 'dist') } }
    })

    const app = join(work, 'dist', 'linux-unpacked')
    expect(readdirSync(app)).toContain('andon')
    const resources = join(app, 'resources')
    const archived = listPackage(join(resources, 'app.asar'), { isPack: false })
    for (const entry of ['/package.json', '/out/main/index.js', '/out/preload/index.js', '/out/renderer/index.html']) expect(archived).toContain(entry)
    expect(archived.filter((p) => /^\/(src|test|bench)(\/|$)/.test(p))).toEqual([])
    expect(archived).toContain('/node_modules/@anthropic-ai/claude-agent-sdk/package.json')
    // The platform package exists in node_modules here; it must not have been packed.
    expect(readdirSync(join(root, 'node_modules', '@anthropic-ai')).some((name) => name.startsWith('claude-agent-sdk-'))).toBe(true)
    expect(archived.filter((p) => p.includes('/claude-agent-sdk-'))).toEqual([])
    expect(existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true)
    expect(readdirSync(join(resources, 'examples'))).toContain('fix-the-tests.yaml')
    expect(existsSync(join(resources, 'icon.png'))).toBe(true)
  }, 120_000)
})
