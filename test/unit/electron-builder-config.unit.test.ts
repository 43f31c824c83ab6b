// electron-builder.yml is not exercised in CI (no Electron download here), so check it against
// electron-builder's own schema and against what the shell expects at runtime.
import Ajv from 'ajv'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = resolve(__dirname, '../..')
const config = parse(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8'))

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's schema", () => {
    const schema = JSON.parse(readFileSync(resolve(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'))
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ ...config, asarUnpak: ['typo'] })).toBe(false)
  })

  it('packs what the shell loads: built output, unpacked sqlite, examples beside the archive', () => {
    expect(config.files).toContain('out/**')
    expect(config.asar).toBe(true)
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**')
    // shell.ts lists examples from process.resourcesPath/examples when packaged.
    expect(config.extraResources).toContainEqual({ from: 'resources/examples', to: 'examples' })
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']))
    // The Agent SDK's platform binary is left out (the packaged app runs the user's Claude Code); the SDK itself is not.
    expect(config.files).toContain('!node_modules/@anthropic-ai/claude-agent-sdk-*/**')
    expect(config.files.filter((f: string) => f.includes('claude-agent-sdk'))).toHaveLength(1)
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false })
  })
})
